/**
 * The export workers of one server process: at most `concurrency` exports render at once, up to
 * `queue` more wait their turn (first come, first served), and any beyond are refused with 503.
 * A thread starts at the first export, not with the server (the renderers are megabytes of heap),
 * is reused while exports keep coming, and ends after `idleMs` without one, giving its memory back.
 */
import type { ExportJob } from './export-job.ts';
import { ExportRefused, RefusalReason } from './export-refused.ts';
import { type ExportOutput, ExportThread } from './export-thread.ts';

export interface ExportPoolLimits {
  concurrency: number;
  queue: number;
  timeoutMs: number;
  maxMemoryMb: number;
  /** Largest file handed back to the server's thread. */
  maxBytes: number;
  idleMs: number;
}

/** What the pool reports (metrics). */
interface ExportPoolEvents {
  running(delta: 1 | -1): void;
  waiting(delta: 1 | -1): void;
  refused(reason: string): void;
}

export interface ExportPoolOptions {
  limits: ExportPoolLimits;
  events?: ExportPoolEvents;
}

/** What a refused export's client is told to wait before trying again. */
export const QUEUE_FULL_RETRY_AFTER_S = 10;

const shuttingDown = () => new ExportRefused(RefusalReason.queueFull, 503, 'the server is shutting down', QUEUE_FULL_RETRY_AFTER_S);

const WORKER_URL = new URL('./export-worker.ts', import.meta.url);

export class ExportPool {
  readonly #options: ExportPoolOptions;
  /** Warm threads with nothing to do, each with the timer that ends it. */
  readonly #idle = new Map<ExportThread, NodeJS.Timeout>();
  readonly #live = new Set<ExportThread>();
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  #destroyed = false;

  constructor(options: ExportPoolOptions) {
    this.#options = options;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Threads alive: rendering, or warm and waiting for the next export. */
  get threads(): number {
    return this.#live.size;
  }

  /**
   * Renders the job that `read` returns, in a worker. `read` runs only once a worker is free, so
   * an export that waits holds no room data. `signal`: the client went away; a waiting export
   * leaves the queue, a running one ends its thread.
   */
  async run(read: () => Promise<Omit<ExportJob, 'maxBytes'>>, signal?: AbortSignal): Promise<ExportOutput> {
    await this.#acquire(signal);
    let thread: ExportThread | null = null;
    try {
      thread = await this.#thread();
      return await thread.run({ ...(await read()), maxBytes: this.#options.limits.maxBytes }, signal);
    } catch (error) {
      if (error instanceof ExportRefused) this.#options.events?.refused(error.reason);
      throw error;
    } finally {
      if (thread) this.#rest(thread);
      this.#release();
    }
  }

  /** Ends every thread; exports under way fail, waiting ones are refused. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (const wake of this.#waiting.splice(0)) wake();
    for (const timer of this.#idle.values()) clearTimeout(timer);
    this.#idle.clear();
    await Promise.all([...this.#live].map((t) => t.terminate()));
    this.#live.clear();
  }

  /** Takes a slot: at once, or after waiting in the queue for one to be handed over. */
  async #acquire(signal?: AbortSignal): Promise<void> {
    if (this.#destroyed) throw shuttingDown();
    // Slots pass straight from a finished export to the next waiting one, so nobody waits while one is free.
    if (this.#running < this.#options.limits.concurrency) {
      this.#running++;
      this.#options.events?.running(1);
      return;
    }
    if (this.#waiting.length >= this.#options.limits.queue) {
      this.#options.events?.refused(RefusalReason.queueFull);
      throw new ExportRefused(
        RefusalReason.queueFull,
        503,
        'the server is busy with other exports: try again in a moment',
        QUEUE_FULL_RETRY_AFTER_S,
      );
    }
    const turn = Promise.withResolvers<void>();
    const wake = () => turn.resolve();
    const leave = () => {
      const at = this.#waiting.indexOf(wake);
      if (at < 0) return; // already handed a slot: run() gives it back below
      this.#waiting.splice(at, 1);
      turn.reject(signal?.reason);
    };
    this.#waiting.push(wake);
    this.#options.events?.waiting(1);
    signal?.addEventListener('abort', leave, { once: true });
    try {
      await turn.promise;
    } finally {
      signal?.removeEventListener('abort', leave);
      this.#options.events?.waiting(-1);
    }
    if (this.#destroyed || signal?.aborted) {
      this.#release();
      throw this.#destroyed ? shuttingDown() : signal?.reason;
    }
  }

  /** Hands the slot to the next waiting export, or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      next();
      return;
    }
    this.#running--;
    this.#options.events?.running(-1);
  }

  /** A warm thread, or a new one. */
  async #thread(): Promise<ExportThread> {
    for (const [thread, timer] of this.#idle) {
      clearTimeout(timer);
      this.#idle.delete(thread);
      if (thread.alive) return thread;
      this.#live.delete(thread);
    }
    const { maxMemoryMb, timeoutMs } = this.#options.limits;
    const thread = await ExportThread.start(WORKER_URL, { maxMemoryMb, timeoutMs });
    if (this.#destroyed) {
      void thread.terminate();
      throw shuttingDown();
    }
    this.#live.add(thread);
    return thread;
  }

  /** After a job: a live thread waits for the next export a while; a dead one is forgotten. */
  #rest(thread: ExportThread): void {
    if (!thread.alive || this.#destroyed || this.#options.limits.idleMs === 0) {
      this.#live.delete(thread);
      void thread.terminate();
      return;
    }
    const timer = setTimeout(() => {
      this.#idle.delete(thread);
      this.#live.delete(thread);
      void thread.terminate();
    }, this.#options.limits.idleMs);
    timer.unref();
    this.#idle.set(thread, timer);
  }
}
