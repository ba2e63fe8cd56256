/**
 * The write-before-relay loop: one batch of a room's work at a time. Writes (peers' updates,
 * server-side changes) are applied to the live doc, committed to storage as one append, and only
 * then relayed, acknowledged and answered; what other processes committed is applied and relayed
 * first (it is durable already). Reads of the committed state run before the batch's first write
 * or after its commit, never in between. A failed commit leaves the doc ahead of storage: the room
 * breaks down and reloads from what is durable.
 */
import { FanoutKind, publishedRows } from '../fanout/fanout-message.ts';
import { Refusal, RefusalKind } from '../refusal.ts';
import type { CatchUp } from './catch-up.ts';
import type { Compaction } from './compaction.ts';
import { type Captured, REMOTE } from './live-doc.ts';
import type { Peer } from './peer.ts';
import { PeerUpdates } from './peer-updates.ts';
import type { RoomContext } from './room-context.ts';
import { type BatchRunner, readsCommitted, type Work } from './work-queue.ts';

/** Updates larger than this are integrated in slices (see PeerUpdates.integrateSliced). */
const SLICE_FROM_BYTES = 64 * 1024;

type Write = Extract<Work, { kind: 'update' | 'change' }>;
type Outcome = { done: PromiseWithResolvers<unknown>; value?: unknown; error?: unknown };
/** A committed batch, to relay: what other processes committed first (`missed`), then ours. */
type Commit = { missed: Captured[]; captured: Captured[]; seqs: number[] };

export class WriteBeforeRelay implements BatchRunner {
  readonly #ctx: RoomContext;
  readonly #catchUp: CatchUp;
  readonly #compaction: Compaction;
  readonly #peerUpdates: PeerUpdates;

  constructor(ctx: RoomContext, catchUp: CatchUp, compaction: Compaction) {
    this.#ctx = ctx;
    this.#catchUp = catchUp;
    this.#compaction = compaction;
    this.#peerUpdates = new PeerUpdates(ctx.live, ctx.size, ctx.limits.maxUpdateStructs);
  }

  stopped(): boolean {
    return this.#ctx.hooks.broken();
  }

  /** Unexpected: the doc may be ahead of storage. */
  failed(error: unknown, batch: readonly Work[]): void {
    this.#ctx.hooks.breakDown('room batch failed', error, batch);
  }

  async process(batch: Work[]): Promise<void> {
    const { live, link } = this.#ctx;
    const catchUp = this.#catchUp;
    const compaction = this.#compaction;
    // Everything up to the first write can be answered now: the doc holds only committed state.
    let i = 0;
    for (; readsCommitted(batch[i]); i++) (batch[i] as { run: () => void }).run();
    const rest = batch.slice(i);
    if (rest.length === 0) return;
    live.pristineState = null;

    // What other processes committed goes first: it is durable already, only relayed here.
    let mustCatchUp = false;
    // Corking every socket costs two calls per peer: only when there is something to relay.
    if (rest.some((w) => w.kind === 'remote' || w.kind === 'catchUp')) {
      live.sendTogether(() => {
        for (const work of rest) {
          if (work.kind === 'remote') mustCatchUp = catchUp.heard(work.rows) || mustCatchUp;
          else if (work.kind === 'catchUp') mustCatchUp = true;
        }
      });
    }
    if (mustCatchUp) await catchUp.fromStorage();
    await compaction.beforeWrites();

    const writes = rest.filter((w): w is Write => w.kind === 'update' || w.kind === 'change');
    const perPeer = new Map<Peer, number>();
    const outcomes: Outcome[] = [];
    let commit: Commit | null = null;
    // Big updates are integrated first, in slices, letting the other rooms run in between.
    for (const work of writes) {
      if (work.kind === 'update' && work.update.byteLength > SLICE_FROM_BYTES) await this.#peerUpdates.integrateSliced(work);
    }
    if (writes.length > 0) {
      // A change (an intent) decides on what the doc holds, so with other processes writing the
      // room it must see all they committed and nobody may commit in between.
      const exclusive = link !== null && writes.some((w) => w.kind === 'change');
      commit = exclusive ? await this.#commitExclusive(writes, perPeer, outcomes) : await this.#commit(writes, perPeer, outcomes);
      if (!commit) return;
    }
    const send = () => {
      if (commit) this.#relay(commit);
      for (const [peer, count] of perPeer) peer.committed(count);
      // Reads queued after writes in this batch see the committed result.
      for (const work of rest) if (readsCommitted(work)) work.run();
    };
    // A batch's relays, acks and answers leave in one write per socket, not one per message. With
    // one update and no reads every socket gets one message: uncorked, the first leaves at once.
    const oneEach = (commit?.missed.length ?? 0) + (commit?.captured.length ?? 0) <= 1 && !rest.some(readsCommitted);
    if (oneEach) send();
    else live.sendTogether(send);
    for (const o of outcomes) {
      if ('error' in o && o.error !== undefined) o.done.reject(o.error);
      else o.done.resolve(o.value);
    }
    await compaction.afterBatch();
  }

  /** Applies a batch's peer updates and changes to the doc; returns what they changed, uncommitted. */
  #applyWrites(writes: readonly Write[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Captured[] {
    const { live, size } = this.#ctx;
    const captured: Captured[] = [];
    // Bytes this batch adds so far, counted incrementally (a batch may hold thousands of updates).
    let batchBytes = 0;
    let counted = 0;
    const captureSize = () => {
      for (; counted < captured.length; counted++) batchBytes += captured[counted]?.update.byteLength ?? 0;
      return batchBytes;
    };
    for (const work of writes) {
      if (work.kind === 'update') {
        if (this.#peerUpdates.apply(work, perPeer, size.bytes + batchBytes)) captured.push({ update: work.update, origin: work.from });
        batchBytes = captureSize();
        continue;
      }
      if (!work.evenWhenFull && size.bytes + batchBytes >= size.cap()) {
        outcomes.push({ done: work.done, error: new Refusal(RefusalKind.tooLarge, size.capReason()) });
        continue;
      }
      const [outcome, changes] = live.capture(() => {
        try {
          return { done: work.done, value: live.doc.transact(() => work.apply(live.doc), null) };
        } catch (error) {
          return { done: work.done, error };
        }
      });
      outcomes.push(outcome);
      captured.push(...changes);
      batchBytes = captureSize();
    }
    return captured;
  }

  /** The usual path: through the group-commit queue. Null when the room broke down. */
  async #commit(writes: readonly Write[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Promise<Commit | null> {
    const { storage, room, hooks } = this.#ctx;
    const captured = this.#applyWrites(writes, perPeer, outcomes);
    if (captured.length === 0) return { missed: [], captured, seqs: [] };
    try {
      const seqs = await storage.append(captured.map(({ update }) => ({ room, data: update })));
      return { missed: [], captured, seqs };
    } catch (error) {
      // The live doc is now ahead of storage: drop the room so it reloads from what is durable.
      hooks.breakDown('commit failed', error, writes);
      return null;
    }
  }

  /**
   * With the room's head locked in the database: first what other processes committed and this
   * doc lacks, then this batch, which gets the seqs right after theirs.
   */
  async #commitExclusive(writes: readonly Write[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Promise<Commit | null> {
    const { storage, room, hooks } = this.#ctx;
    const catchUp = this.#catchUp;
    let missed: Captured[] = [];
    let head = catchUp.through;
    let captured: Captured[] = [];
    let seqs: number[];
    try {
      seqs = await storage.appendExclusive(room, catchUp.through, (stored) => {
        head = stored.seq;
        missed = catchUp.applyCommitted(stored);
        captured = this.#applyWrites(writes, perPeer, outcomes);
        return captured.map(({ update }) => update);
      });
    } catch (error) {
      hooks.breakDown('commit failed', error, writes);
      return null;
    }
    catchUp.heldThrough(head);
    return { missed, captured, seqs };
  }

  /** After a commit: counts, relays to this process's peers and to the other processes. */
  #relay({ missed, captured, seqs }: Commit): void {
    const { live, size, link } = this.#ctx;
    for (const { update } of missed) live.broadcast(update, REMOTE);
    for (const { update } of captured) size.logged(update.byteLength);
    for (const seq of seqs) this.#catchUp.held(seq);
    for (const { update, origin } of captured) live.broadcast(update, origin);
    if (seqs.length === 0) return;
    link?.publish({
      kind: FanoutKind.updates,
      rows: publishedRows(seqs.map((seq, i) => ({ seq, data: captured[i]?.update as Uint8Array }))),
    });
  }
}
