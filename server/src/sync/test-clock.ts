/**
 * A clock for tests that moves only when told: `advance(ms)` runs the timers that fall due, in
 * order of their time (then of their setting). What the timers start (a room's batch) runs on
 * the real event loop; the test awaits it as usual.
 */
import type { Clock, Timer } from './clock.ts';

interface Pending {
  at: number;
  order: number;
  ms: number;
  run: () => void;
}

export interface TestClock extends Clock {
  /** Moves the time on by `ms`, running every timer due by then. */
  advance(ms: number): void;
  /** Timers set and not yet run or cleared. */
  readonly pending: number;
  /** When the next timer falls due, or null when none is pending. */
  readonly nextAt: number | null;
}

export function testClock(start = 1_000_000): TestClock {
  let now = start;
  let order = 0;
  const timers = new Set<Pending>();
  const handles = new WeakMap<Timer, Pending>();
  const schedule = (pending: Pending) => {
    pending.at = now + pending.ms;
    pending.order = order++;
    timers.add(pending);
  };
  return {
    now: () => now,
    setTimeout(run, ms) {
      const pending: Pending = { at: 0, order: 0, ms, run };
      schedule(pending);
      const timer: Timer = { refresh: () => schedule(pending) };
      handles.set(timer, pending);
      return timer;
    },
    clearTimeout(timer) {
      const pending = handles.get(timer);
      if (pending) timers.delete(pending);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const next = [...timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
        if (!next) break;
        now = Math.max(now, next.at);
        timers.delete(next);
        next.run();
      }
      now = until;
    },
    get pending() {
      return timers.size;
    },
    get nextAt() {
      let at: number | null = null;
      for (const t of timers) if (at === null || t.at < at) at = t.at;
      return at;
    },
  };
}
