/**
 * When a room folds its update log into a snapshot, and the folding itself: due after
 * `compactAfterUpdates` once the log is as big as the snapshot (RoomSize.compactionDue), then
 * once the room has been quiet for `compactQuietMs` (a burst of writes is not slowed by
 * re-encoding the whole document in its middle), or after `compactMaxWaitMs` at the latest; near
 * the size cap before a batch's writes are weighed against it, at most every two seconds. One
 * compaction at a time; only between batches, when the doc holds exactly what is stored.
 */
import type { Logger } from '../log.ts';
import type { Clock, Timer } from './clock.ts';
import type { RoomSize } from './room-size.ts';

export interface CompactionLimits {
  /**
   * Fold the update log into a snapshot after this many updates, once the log is also at least as
   * big as the snapshot (so a growing document is not re-encoded whole every few updates).
   */
  compactAfterUpdates: number;
  /**
   * A due compaction waits for this long without a write, so a burst of writes is not slowed
   * by re-encoding the whole document in its middle...
   */
  compactQuietMs: number;
  /** ...but not for longer than this, so a room that is never quiet still compacts. */
  compactMaxWaitMs: number;
}

/** Near its size cap a room folds its log at most this often. */
const CAP_COMPACTION_INTERVAL_MS = 2_000;

export interface CompactionOptions {
  room: string;
  size: RoomSize;
  limits: CompactionLimits;
  clock: Clock;
  log: Logger;
  /** The doc's state now and the seq it holds everything up to. */
  state(): { snapshot: Uint8Array; seq: number };
  /** Stores the snapshot as the state up to `seq` (DocStore.compact). */
  store(snapshot: Uint8Array, seq: number): Promise<void>;
  /** No batch queued or running: the doc holds exactly what is stored. */
  idle(): boolean;
  /** The room broke down: its doc may be ahead of storage and must never be stored. */
  broken(): boolean;
}

export class Compaction {
  readonly #options: CompactionOptions;
  #running: Promise<void> | null = null;
  /** When a compaction last ran because the room was near its size cap. */
  #capCompactedAt = Number.NEGATIVE_INFINITY;
  /** When compaction became due (0: not due), and the timer that runs it once the room is quiet. */
  #dueSince = 0;
  #quietTimer: Timer | null = null;

  constructor(options: CompactionOptions) {
    this.#options = options;
  }

  /** The compaction under way, if any. */
  get running(): Promise<void> | null {
    return this.#running;
  }

  /**
   * Before a batch's writes: near the size cap, what deletes freed still counts until the log is
   * folded, so fold it first (now and then: it re-encodes the whole document).
   */
  async beforeWrites(): Promise<void> {
    const now = this.#options.clock.now();
    if (!this.#options.size.nearCap() || now - this.#capCompactedAt < CAP_COMPACTION_INTERVAL_MS) return;
    this.#capCompactedAt = now;
    await this.#now();
  }

  /** After a batch: compacts once the room is quiet, or at once when it has been due for long. */
  async afterBatch(): Promise<void> {
    const { size, limits, clock } = this.#options;
    if (!size.compactionDue(limits.compactAfterUpdates)) return;
    const now = clock.now();
    if (this.#dueSince === 0) this.#dueSince = now;
    if (now - this.#dueSince < limits.compactMaxWaitMs) {
      if (this.#quietTimer) this.#quietTimer.refresh();
      else {
        this.#quietTimer = clock.setTimeout(() => {
          // A batch running now restarts the wait when it ends.
          if (this.#options.idle()) void this.#now();
        }, limits.compactQuietMs);
      }
      return;
    }
    await this.#now();
  }

  /** Folds the log now (the room is idle: before unloading, say). */
  whenIdle(): Promise<void> {
    this.#clearQuietTimer();
    return this.#compact();
  }

  destroy(): void {
    this.#clearQuietTimer();
  }

  /** A failure leaves the log complete: compaction is due again after the next batch. */
  async #now(): Promise<void> {
    this.#clearQuietTimer();
    try {
      await this.#compact();
    } catch (error) {
      this.#options.log.warn('compaction failed', { room: this.#options.room, error: String(error) });
    }
  }

  #clearQuietTimer(): void {
    if (this.#quietTimer) this.#options.clock.clearTimeout(this.#quietTimer);
    this.#quietTimer = null;
    this.#dueSince = 0;
  }

  /** The snapshot is taken at once; a call during another compaction waits for that one instead. */
  #compact(): Promise<void> {
    if (this.#running) return this.#running;
    const { size, broken, state, store } = this.#options;
    if (size.sinceSnapshot === 0 || broken()) return Promise.resolve();
    const { snapshot, seq } = state();
    const folded = size.sinceSnapshot;
    const bytesBefore = size.bytes;
    this.#running = (async () => {
      try {
        await store(snapshot, seq);
        size.compacted(snapshot.byteLength, folded, bytesBefore);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }
}
