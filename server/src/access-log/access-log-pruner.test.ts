import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log.ts';
import { AccessLogPruner, DAY_MS } from './access-log-pruner.ts';

describe('AccessLogPruner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('removes what is older than the kept days at start and then once a day, by the clock it is given', async () => {
    let time = Date.parse('2026-12-07T10:00:00Z');
    const cutoffs: string[] = [];
    const pruner = new AccessLogPruner({
      prune: async (before) => {
        cutoffs.push(before);
        return 1;
      },
      days: 30,
      clock: () => new Date(time),
      log: silentLogger,
    });
    pruner.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(cutoffs).toEqual(['2026-11-07T10:00:00.000Z']);
    time += DAY_MS;
    await vi.advanceTimersByTimeAsync(DAY_MS - 1);
    expect(cutoffs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(cutoffs).toEqual(['2026-11-07T10:00:00.000Z', '2026-11-08T10:00:00.000Z']);
    await pruner.stop();
    await vi.advanceTimersByTimeAsync(2 * DAY_MS);
    expect(cutoffs).toHaveLength(2);
  });

  it('does not keep the process alive', () => {
    const pruner = new AccessLogPruner({ prune: async () => 0, days: 1, clock: () => new Date(), log: silentLogger });
    vi.useRealTimers();
    const spy = vi.spyOn(globalThis, 'setInterval');
    pruner.start();
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
    void pruner.stop();
  });
});
