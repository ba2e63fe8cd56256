/**
 * A job a server runs now and then (due erasures, retention): on the rooms' clock, so tests drive
 * it; the timer never keeps the process alive, and a run never overlaps the one before.
 */
import type { Logger } from '../log.ts';
import type { Clock, Timer } from '../sync/clock.ts';

export interface PeriodicJob {
  /** Runs the job now (also what the timer does); resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function periodicJob(options: { name: string; everyMs: number; clock: Clock; log: Logger; run: () => Promise<void> }): PeriodicJob {
  const { name, everyMs, clock, log, run } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: Timer | null = null;
  const runNow = () => {
    running ??= run()
      .catch((error: unknown) => log.warn(`${name} failed`, { error: String(error) }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const arm = () => {
    timer = clock.setTimeout(() => {
      if (stopped) return;
      void runNow().finally(() => {
        if (!stopped) arm();
      });
    }, everyMs);
  };
  arm();
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
      await running;
    },
  };
}
