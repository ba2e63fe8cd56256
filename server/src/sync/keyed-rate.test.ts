import { describe, expect, it } from 'vitest';
import { KeyedRate } from './keyed-rate.ts';

describe('KeyedRate', () => {
  it('allows a burst, then one per interval, per key', () => {
    let now = 0;
    const rate = new KeyedRate({ perSecond: 1 / 60, burst: 3 }, () => now);
    expect([rate.take('anne\nr1'), rate.take('anne\nr1'), rate.take('anne\nr1')]).toEqual([null, null, null]);
    expect(rate.take('anne\nr1')).toBe(60);
    // Another key has an allowance of its own.
    expect(rate.take('bo\nr1')).toBeNull();
    expect(rate.take('anne\nr2')).toBeNull();
    // A refused one costs nothing: after a minute, exactly one more.
    now += 30_000;
    expect(rate.take('anne\nr1')).toBe(30);
    now += 30_000;
    expect(rate.take('anne\nr1')).toBeNull();
    expect(rate.take('anne\nr1')).toBe(60);
  });

  it('keeps only the keys that asked lately once it holds many', () => {
    let now = 0;
    const rate = new KeyedRate({ perSecond: 10, burst: 2 }, () => now);
    for (let i = 0; i < 1_500; i++) rate.take(`user-${i}`);
    now += 10_000;
    // All refilled: the next new key sweeps them, and the old keys start afresh.
    expect(rate.take('new')).toBeNull();
    expect([rate.take('user-1'), rate.take('user-1'), rate.take('user-1')]).toEqual([null, null, 1]);
  });
});
