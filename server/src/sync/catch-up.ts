/**
 * A room's catching up with what other server processes committed. They publish it as
 * seq-numbered updates (fanout/): applied and relayed here, never stored again. The room knows
 * the seq up to which its doc holds everything (held-seqs.ts); a hole that stays open for
 * GAP_WAIT_MS, or a read the room is asked for (a lost Redis connection, a head check that found
 * the database ahead), reads from storage whatever the doc lacks. docs/ARCHITECTURE.md, "Several
 * processes", has the whole argument.
 */
import type { PublishedRow } from '../fanout/fanout-message.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import type { Timer } from './clock.ts';
import { HeldSeqs } from './held-seqs.ts';
import { type Captured, REMOTE } from './live-doc.ts';
import type { RoomContext } from './room-context.ts';

/**
 * How long a hole in the seqs may stay open before the room reads it from storage: updates of
 * two processes may reach a third in either order, so a hole is usually filled a moment later.
 */
export const GAP_WAIT_MS = 250;

type CatchUpContext = Pick<RoomContext, 'room' | 'storage' | 'live' | 'size' | 'clock' | 'log' | 'hooks'>;

export class CatchUp {
  readonly #ctx: CatchUpContext;
  /** The seqs of the updates the doc holds. */
  readonly #held: HeldSeqs;
  #gapTimer: Timer | null = null;
  #stopped = false;

  /** `loadedSeq`: the seq the doc was loaded at. */
  constructor(ctx: CatchUpContext, loadedSeq: number) {
    this.#ctx = ctx;
    this.#held = new HeldSeqs(loadedSeq);
  }

  /** The doc holds every update with a seq up to this one. */
  get through(): number {
    return this.#held.through;
  }

  /**
   * Applies and relays updates another process committed and published (between batches, with
   * the peers corked); true when some came without their data and must be read from storage.
   */
  heard(rows: readonly PublishedRow[]): boolean {
    const { live, size, log, room } = this.#ctx;
    let missing = false;
    for (const { seq, data } of rows) {
      if (this.#held.has(seq)) continue; // e.g. read at load
      if (!data) {
        missing = true;
        continue;
      }
      try {
        if (live.applyRaw(data, REMOTE)) live.broadcast(data, REMOTE);
      } catch (error) {
        log.error('update from another process does not apply; skipped', { room, error: String(error) });
      }
      size.logged(data.byteLength);
      this.held(seq);
    }
    return missing;
  }

  /** Reads from storage what was committed after what the doc holds; a failure leaves a later try to the gap timer. */
  async fromStorage(): Promise<void> {
    const { live, storage, log, room } = this.#ctx;
    let stored: StoredDoc;
    try {
      stored = await storage.load(room, this.#held.through);
    } catch (error) {
      log.warn('catching up from storage failed; will retry', { room, error: String(error) });
      this.#armGapTimer(true);
      return;
    }
    const changes = this.applyCommitted(stored);
    live.sendTogether(() => {
      for (const { update } of changes) live.broadcast(update, REMOTE);
    });
    this.heldThrough(stored.seq);
  }

  /** Applies what storage returned (not relayed yet) and counts it; returns the changes it made to the doc. */
  applyCommitted(stored: StoredDoc): Captured[] {
    const { live, size, log, room } = this.#ctx;
    const changes = live.applyStored(stored, (error) => log.error('stored update does not apply; skipped', { room, error: String(error) }));
    size.read(stored);
    return changes;
  }

  /** The doc now holds update `seq`. */
  held(seq: number): void {
    this.#held.add(seq);
    this.#armGapTimer(false);
  }

  /** The doc now holds every update up to `seq`. */
  heldThrough(seq: number): void {
    this.#held.addThrough(seq);
    this.#armGapTimer(false);
  }

  destroy(): void {
    this.#stopped = true;
    if (this.#gapTimer) this.#ctx.clock.clearTimeout(this.#gapTimer);
    this.#gapTimer = null;
  }

  /**
   * A hole below seqs the doc holds (another process's update not heard yet) is read from
   * storage if it is still open after a moment. `retry`: arm even without a hole.
   */
  #armGapTimer(retry: boolean): void {
    const { clock } = this.#ctx;
    if (!this.#held.hasHole && !retry) {
      if (this.#gapTimer) clock.clearTimeout(this.#gapTimer);
      this.#gapTimer = null;
      return;
    }
    if (this.#gapTimer || this.#stopped) return;
    this.#gapTimer = clock.setTimeout(() => {
      this.#gapTimer = null;
      if (this.#held.hasHole || retry) this.#ctx.hooks.catchUp();
    }, GAP_WAIT_MS);
  }
}
