import { describe, expect, it } from 'vitest';
import { ReadGate, TokenBucket } from './flow-control.ts';

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.msUntil(1)).toBe(200); // one token owed, then one more at 10/s
    now += 200;
    expect(bucket.take()).toBe(true);
    now += 10_000;
    expect(bucket.full).toBe(true);
  });
});

describe('read gate', () => {
  it('pauses once for any number of reasons and resumes only when all have cleared', () => {
    const calls: string[] = [];
    const gate = new ReadGate({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    gate.hold('pending');
    gate.hold('rate');
    gate.hold('rate');
    gate.release('pending');
    expect(calls).toEqual(['pause']);
    gate.release('rate');
    gate.release('rate');
    expect(calls).toEqual(['pause', 'resume']);
  });
});
