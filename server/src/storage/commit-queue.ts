/**
 * Group commit: appends requested in one run of synchronous code share one transaction; the rooms
 * start the batches of a turn in one callback (sync/next-turn.ts), so that is every room's appends
 * of the turn. At most one transaction is in flight, so batches commit in request order and the
 * next batch grows while the current one is written (on PostgreSQL, while the round trip lasts).
 */
import type { PendingUpdate } from './doc-store.ts';

/** Returns the seq the database gave each update, in order. */
type Writer = (updates: readonly PendingUpdate[]) => Promise<number[]>;

interface Batch {
  updates: PendingUpdate[];
  done: PromiseWithResolvers<number[]>;
}

export class CommitQueue {
  readonly #write: Writer;
  #next: Batch | null = null;
  #writing: Promise<void> = Promise.resolve();
  /** Observed commit latencies, for /metrics. */
  readonly onCommit: (ms: number, rows: number) => void;

  constructor(write: Writer, onCommit: (ms: number, rows: number) => void = () => {}) {
    this.#write = write;
    this.onCommit = onCommit;
  }

  /**
   * Resolves with the updates' seqs once they are durably committed; rejects if that transaction
   * failed.
   */
  append(updates: readonly PendingUpdate[]): Promise<number[]> {
    if (!this.#next) {
      const batch: Batch = { updates: [], done: Promise.withResolvers<number[]>() };
      this.#next = batch;
      // After the in-flight transaction and the rest of this callback's appends (`then` runs its
      // function as a microtask even when #writing is already settled).
      this.#writing = this.#writing.then(() => this.#commit(batch));
    }
    const start = this.#next.updates.length;
    this.#next.updates.push(...updates);
    return this.#next.done.promise.then((seqs) => seqs.slice(start, start + updates.length));
  }

  /** Resolves when everything appended so far is committed (or failed). */
  idle(): Promise<void> {
    return this.#writing;
  }

  async #commit(batch: Batch): Promise<void> {
    if (this.#next === batch) this.#next = null;
    const started = performance.now();
    try {
      const seqs = await this.#write(batch.updates);
      this.onCommit(performance.now() - started, batch.updates.length);
      batch.done.resolve(seqs);
    } catch (error) {
      batch.done.reject(error);
    }
  }
}
