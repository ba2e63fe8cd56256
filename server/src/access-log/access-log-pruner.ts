/**
 * Removes access-log entries older than RANDNOTER_ACCESS_LOG_DAYS: once when started, then daily,
 * on a timer that never keeps the process alive. Several server processes on one database each
 * prune; the deletes are idempotent.
 */
import type { Logger } from '../log.ts';

export const DAY_MS = 24 * 3600 * 1000;

export interface AccessLogPrunerOptions {
  /** Removes entries from before `before` (ISO time); resolves to how many. */
  prune(before: string): Promise<number>;
  /** Days an entry is kept. */
  days: number;
  clock: () => Date;
  log: Logger;
  /** How often it runs (a day; tests give less). */
  intervalMs?: number;
}

export class AccessLogPruner {
  readonly #options: AccessLogPrunerOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<number> | null = null;

  constructor(options: AccessLogPrunerOptions) {
    this.#options = options;
  }

  start(): void {
    void this.run();
    this.#timer = setInterval(() => void this.run(), this.#options.intervalMs ?? DAY_MS);
    this.#timer.unref?.();
  }

  /** Prunes now; a run while one is under way shares it. Resolves to the entries removed (0 on an error, which is logged). */
  run(): Promise<number> {
    this.#running ??= (async () => {
      const before = new Date(this.#options.clock().getTime() - this.#options.days * DAY_MS).toISOString();
      try {
        const removed = await this.#options.prune(before);
        if (removed > 0) this.#options.log.info('access log pruned', { removed, before });
        return removed;
      } catch (error) {
        this.#options.log.warn('could not prune the access log', { error: String(error) });
        return 0;
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
