/**
 * A room's live Y.Doc and the peers it relays to: applying updates as received, capturing what a
 * change did, broadcasting, and the answers to sync step 1 that are worth keeping (the full state,
 * the snapshot a room was loaded from). Only the room and its parts (room-*.ts) hold one.
 */
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import { encodeSyncMessage } from '@randnoter/shared/protocol/wire';
import * as Y from 'yjs';
import type { StoredDoc } from '../storage/doc-store.ts';
import { setAside, setAsideSince, transactionChangedDoc } from './integrate-sliced.ts';
import type { Peer } from './peer.ts';

/** An update a batch made to the doc, with its origin (a Peer, null for the server, or REMOTE). */
export type Captured = { update: Uint8Array; origin: unknown };

/** Marks what another process committed: relayed, never stored again. */
export const REMOTE = Symbol('remote');

export class LiveDoc {
  readonly doc = new Y.Doc();
  readonly peers = new Set<Peer>();
  /** Whether the last transaction changed the doc (set by the afterTransaction listener). */
  #lastTransactionChanged = false;
  /** The answer to a sync step 1 with an empty state vector, until the doc changes: many clients ask it. */
  #fullStateAnswer: Uint8Array | null = null;
  /**
   * The stored snapshot while the doc holds exactly it (loaded from a snapshot with no log after
   * it, no write since): a fresh client's first sync is answered with these bytes at once,
   * without waiting for the doc to be built or encoding it. Dropped at the first write.
   */
  pristineState: Uint8Array | null = null;

  constructor() {
    // No 'update' listener for peer writes: Yjs would re-encode every transaction. A peer's (or
    // another process's) update is stored and relayed as the bytes it sent (see applyRaw).
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.#lastTransactionChanged = transactionChangedDoc(transaction);
      if (this.#lastTransactionChanged) this.#fullStateAnswer = null;
    });
  }

  /**
   * Applies an update as received; true when it must be stored and relayed as these bytes: it
   * changed the doc, or Yjs kept parts of it aside until their dependencies arrive (acknowledging
   * it must stay truthful, and the peers need those parts too: the update that completes them
   * carries only itself). Duplicates and no-ops are neither stored nor relayed. Throws when malformed.
   */
  applyRaw(update: Uint8Array, origin: unknown): boolean {
    const before = setAside(this.doc);
    this.#lastTransactionChanged = false;
    Y.applyUpdate(this.doc, update, origin);
    return this.#lastTransactionChanged || setAsideSince(this.doc, before);
  }

  /** Runs `change` with the doc's updates captured (encoded by Yjs: for the server's own, rarer changes). */
  capture<T>(change: () => T): [T, Captured[]] {
    const changes: Captured[] = [];
    const listener = (update: Uint8Array, origin: unknown) => changes.push({ update, origin });
    this.doc.on('update', listener);
    try {
      return [change(), changes];
    } finally {
      this.doc.off('update', listener);
    }
  }

  /** Replays what storage returned; returns the changes it made to the doc. */
  applyStored(stored: StoredDoc, onError: (error: unknown) => void): Captured[] {
    return this.capture(() => applyStored(this.doc, stored, onError))[1];
  }

  broadcast(update: Uint8Array, origin: unknown): void {
    const message = encodeSyncMessage(SyncStep.update, update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
  }

  /** Runs `send` with every peer's socket corked: what it sends leaves in one write per socket. */
  sendTogether(send: () => void): void {
    const peers = [...this.peers];
    for (const peer of peers) peer.cork();
    try {
      send();
    } finally {
      for (const peer of peers) peer.uncork();
    }
  }

  /** Sync step 2 answering `stateVector` (sync step 1's payload). */
  syncAnswer(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    if (!empty) return encodeSyncMessage(SyncStep.step2, Y.encodeStateAsUpdate(this.doc, stateVector));
    this.#fullStateAnswer ??= encodeSyncMessage(SyncStep.step2, Y.encodeStateAsUpdate(this.doc));
    return this.#fullStateAnswer;
  }

  destroy(): void {
    this.doc.destroy();
  }
}

/** Replays a stored document (snapshot, then the log after it) into `doc`; an update that fails is skipped. */
export function applyStored(doc: Y.Doc, stored: StoredDoc, onError: (error: unknown) => void): void {
  doc.transact(() => {
    for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch (error) {
        onError(error);
      }
    }
  });
}
