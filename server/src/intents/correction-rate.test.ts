import { describe, expect, it } from 'vitest';
import { CorrectionRate } from './correction-rate.ts';

describe('CorrectionRate', () => {
  it('allows a burst, then one correction per interval, per member and room', () => {
    let now = 0;
    const rate = new CorrectionRate({ perHour: 60, burst: 3 }, () => now);
    expect([rate.take('anne', 'r1'), rate.take('anne', 'r1'), rate.take('anne', 'r1')]).toEqual([null, null, null]);
    expect(rate.take('anne', 'r1')).toBe(60);
    // Another member, or another room, has an allowance of its own.
    expect(rate.take('bo', 'r1')).toBeNull();
    expect(rate.take('anne', 'r2')).toBeNull();
    // A refused correction costs nothing: after a minute, exactly one more.
    now += 30_000;
    expect(rate.take('anne', 'r1')).toBe(30);
    now += 30_000;
    expect(rate.take('anne', 'r1')).toBeNull();
    expect(rate.take('anne', 'r1')).toBe(60);
  });
});
