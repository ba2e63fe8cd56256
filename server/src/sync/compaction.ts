/**
 * When a room folds its update log into a snapshot, and the folding itself: due after
 * `compactAfterUpdates` once the log is as big as the snapshot (RoomSize.compactionDue), then
 * once the room has been quiet for `compactQuietMs` (a burst of writes is not slowed by
 * re-encoding the whole document in its middle), or after `compactMaxWaitMs` at the latest; near
 * the size cap before a batch's writes are weighed against it, at most every two seconds. One
 * compaction at a time; only between batches, when the doc holds exactly what is stored.
 */
import * as Y from 'yjs';
import type { Logger } from '../log.ts';
import type { Clock, Timer } from './clock.ts';
import type { RoomHooks } from './room-context.ts';
import type { CompactionLimits, RoomStorage } from './room-options.ts';
import type { RoomSize } from './room-size.ts';

/** Near its size cap a room folds its log at most this often. */
const CAP_COMPACTION_INTERVAL_MS = 2_000;

/** What compaction uses of a room (a RoomContext is one). */
export interface CompactionContext {
  readonly room: string;
  readonly size: RoomSize;
  readonly limits: CompactionLimits;
  readonly clock: Clock;
  readonly log: Logger;
  readonly live: { readonly doc: Y.Doc };
  readonly storage: Pick<RoomStorage, 'compact'>;
  readonly hooks: Pick<RoomHooks, 'idle' | 'broken'>;
}

export class Compaction {
  readonly #ctx: CompactionContext;
  /** Up to which seq the doc holds everything (CatchUp). */
  readonly #held: { readonly through: number };
  #running: Promise<void> | null = null;
  /** When a compaction last ran because the room was near its size cap. */
  #capCompactedAt = Number.NEGATIVE_INFINITY;
  /** When compaction became due (0: not due), and the timer that runs it once the room is quiet. */
  #dueSince = 0;
  #quietTimer: Timer | null = null;

  constructor(ctx: CompactionContext, held: { readonly through: number }) {
    this.#ctx = ctx;
    this.#held = held;
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
    const now = this.#ctx.clock.now();
    if (!this.#ctx.size.nearCap() || now - this.#capCompactedAt < CAP_COMPACTION_INTERVAL_MS) return;
    this.#capCompactedAt = now;
    await this.#now();
  }

  /** After a batch: compacts once the room is quiet, or at once when it has been due for long. */
  async afterBatch(): Promise<void> {
    const { size, limits, clock, hooks } = this.#ctx;
    if (!size.compactionDue(limits.compactAfterUpdates)) return;
    const now = clock.now();
    if (this.#dueSince === 0) this.#dueSince = now;
    if (now - this.#dueSince < limits.compactMaxWaitMs) {
      if (this.#quietTimer) this.#quietTimer.refresh();
      else {
        this.#quietTimer = clock.setTimeout(() => {
          // A batch running now restarts the wait when it ends.
          if (hooks.idle()) void this.#now();
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
      this.#ctx.log.warn('compaction failed', { room: this.#ctx.room, error: String(error) });
    }
  }

  #clearQuietTimer(): void {
    if (this.#quietTimer) this.#ctx.clock.clearTimeout(this.#quietTimer);
    this.#quietTimer = null;
    this.#dueSince = 0;
  }

  /** The snapshot is taken at once; a call during another compaction waits for that one instead. */
  #compact(): Promise<void> {
    if (this.#running) return this.#running;
    const { size, hooks, live, storage, room } = this.#ctx;
    if (size.sinceSnapshot === 0 || hooks.broken()) return Promise.resolve();
    const snapshot = Y.encodeStateAsUpdate(live.doc);
    const seq = this.#held.through;
    const folded = size.sinceSnapshot;
    const bytesBefore = size.bytes;
    this.#running = (async () => {
      try {
        await storage.compact(room, snapshot, seq);
        size.compacted(snapshot.byteLength, folded, bytesBefore);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }
}
