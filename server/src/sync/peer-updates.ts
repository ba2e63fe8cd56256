/**
 * A peer's Yjs update, applied to a room's live doc within a batch, or refused: a malformed one
 * (4400), one past the size cap (4413), one of more than `maxUpdateStructs` structures (4413).
 * A refused peer gets none of its later updates in the room applied: they may build on the
 * refused one. (A peer that merely disconnected still gets its whole updates stored.)
 */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { integrateInSlices } from './integrate-sliced.ts';
import type { LiveDoc } from './live-doc.ts';
import type { Peer } from './peer.ts';
import type { RoomSize } from './room-size.ts';
import { MalformedUpdate } from './update-slices.ts';
import type { Work } from './work-queue.ts';

type Update = Extract<Work, { kind: 'update' }>;

/** A delete frees space, so the size cap lets it through (see onlyDeletes). */
const MAX_DELETE_BYTES = 64 * 1024;

export class PeerUpdates {
  readonly #live: LiveDoc;
  readonly #size: RoomSize;
  readonly #maxStructs: number;
  /** Peers closed for a bad or oversized update (a weak set: nothing to clean up). */
  readonly #refused = new WeakSet<Peer>();

  constructor(live: LiveDoc, size: RoomSize, maxStructs: number) {
    this.#live = live;
    this.#size = size;
    this.#maxStructs = maxStructs;
  }

  /**
   * Applies `work` unless its peer is refused or it would pass the cap with the `bytesSoFar` of
   * the room and its batch; counts it in `perPeer` (for the peer's ack). True when it must be
   * stored and relayed.
   */
  apply(work: Update, perPeer: Map<Peer, number>, bytesSoFar: number): boolean {
    const { update, from } = work;
    if (this.#refused.has(from)) return false;
    if (work.integrated !== undefined) {
      perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
      return work.integrated;
    }
    if (bytesSoFar + update.byteLength > this.#size.cap() && !onlyDeletes(update)) {
      this.#refuse(from, CloseCode.documentTooLarge, this.#size.capReason());
      return false;
    }
    let keep: boolean;
    try {
      keep = this.#live.applyRaw(update, from);
    } catch {
      this.#refuse(from, CloseCode.badMessage, 'malformed Yjs update');
      return false;
    }
    perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
    return keep;
  }

  /**
   * Applies a big update in slices (integrate-sliced.ts), yielding to the event loop between them:
   * a 10 MB update held the loop for a second in one piece. The room's queue waits meanwhile;
   * nothing reads the doc between its batches. A malformed update, or one of more than
   * `maxStructs` structures, is refused whole before any of it is applied.
   */
  async integrateSliced(work: Update): Promise<void> {
    const { update, from } = work;
    if (this.#refused.has(from)) return;
    if (this.#size.bytes + update.byteLength > this.#size.cap()) return; // refused with the others in apply
    try {
      work.integrated = await integrateInSlices(this.#live.doc, update, this.#maxStructs, from);
    } catch (error) {
      // Anything but a refusal of the update itself happened while applying it: the room's own failure.
      if (!(error instanceof MalformedUpdate)) throw error;
      const tooBig = error.message.startsWith('more than');
      this.#refuse(from, tooBig ? CloseCode.documentTooLarge : CloseCode.badMessage, tooBig ? error.message : 'malformed Yjs update');
    }
  }

  #refuse(peer: Peer, code: number, reason: string): void {
    this.#refused.add(peer);
    peer.close(code, reason);
  }
}

/**
 * A small v1 update that adds nothing and only deletes (its first varUint, the number of clients
 * with new structs, is 0): it frees space, so the size cap lets it through.
 */
function onlyDeletes(update: Uint8Array): boolean {
  return update[0] === 0 && update.byteLength <= MAX_DELETE_BYTES;
}
