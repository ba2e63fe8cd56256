import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './read-json.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it('counts arrays and objects alike, up to the limit and not beyond', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[{"c":[]}]}}', 5)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[{"c":[]}]}}', 4)).toBe(true);
    // Siblings do not add up: depth, not count.
    expect(nestsDeeperThan(`[${Array.from({ length: 1000 }, () => '[[]]').join(',')}]`, 3)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ body: '['.repeat(10_000) }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ body: `"\\${'{'.repeat(100)}"` }), 1)).toBe(false);
    expect(nestsDeeperThan(`["\\\\",${nested(3)}]`, 3)).toBe(true);
  });
});
