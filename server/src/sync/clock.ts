/**
 * The time and the timers a room (and an endpoint) runs on. Passed in, real by default, so tests
 * drive compaction, gap reads and heartbeats with fake timers or a clock of their own instead of
 * waiting.
 */

/** A pending timer; `refresh` starts its wait again (also after it fired). */
export interface Timer {
  refresh(): unknown;
}

export interface Clock {
  /** Milliseconds, comparable between calls (the real clock: Date.now). */
  now(): number;
  /** `run` after `ms`; the timer does not keep the process alive. */
  setTimeout(run: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/**
 * The process's own clock and timers, looked up at each call: vi.useFakeTimers replaces them
 * after this object was made.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms).unref(),
  clearTimeout: (timer) => globalThis.clearTimeout(timer as NodeJS.Timeout),
};
