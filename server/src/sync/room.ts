/**
 * One loaded Y.Doc and the peers connected to it.
 *
 * Write before relay: writes (client updates, server-side changes from intents) are applied in
 * batches; a batch is committed to storage before any of it is broadcast, acknowledged or
 * answered. Everything that reveals the document (sync step 1 and 2, HTTP reads) is queued behind
 * the writes before it and runs only between batches, so nothing anyone ever receives is
 * uncommitted.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../log.ts';
import type { DocStore, StoredDoc } from '../storage/doc-store.ts';
import { MAX_AWARENESS_IDS_PER_PEER, rewriteAwareness } from './awareness-filter.ts';

/** What a room needs from storage; `append` is the group-commit queue in front of DocStore.append. */
export type RoomStorage = Pick<DocStore, 'load' | 'append' | 'compact'>;

export interface RoomLimits {
  /** A document whose stored size would pass this refuses further writes. */
  maxDocBytes: number;
  /**
   * Fold the update log into a snapshot after this many updates, once the log is also at least as
   * big as the snapshot (so a growing document is not re-encoded whole every few updates).
   */
  compactAfterUpdates: number;
}

/** How long a room loaded from a snapshot alone waits for a first client's sync step 1 before building its doc. */
const PRISTINE_BUILD_WAIT_MS = 50;

/** What a room needs from a connection. */
export interface Peer {
  readonly userId: string;
  readonly userName: string;
  readonly closed: boolean;
  /** `onSent` runs once the message has left the server's buffers (or the socket is gone). */
  send(message: Uint8Array, onSent?: () => void): void;
  close(code: number, reason: string): void;
  /** Called once per committed batch with how many of this peer's updates it held. */
  committed(count: number): void;
  /** Awareness client ids this peer introduced; it may only update those. */
  readonly awarenessIds: Set<number>;
}

type Work =
  | { kind: 'update'; update: Uint8Array; from: Peer }
  | { kind: 'change'; apply: (doc: Y.Doc) => unknown; done: PromiseWithResolvers<unknown> }
  | { kind: 'reply'; run: () => void; fail?: (error: RoomError) => void };

export class RoomError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class Room {
  readonly name: string;
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  #storage: RoomStorage;
  #limits: RoomLimits;
  #log: Logger;
  #queue: Work[] = [];
  #running = false;
  #drained = Promise.withResolvers<void>();
  #seq = 0;
  #bytes = 0;
  #sinceSnapshot = 0;
  /** Bytes of the stored snapshot (the rest of #bytes is the log after it). */
  #snapshotBytes = 0;
  /** Updates of the batch being applied, to store and relay, with their origin (a Peer, or null for the server). */
  #captured: Array<{ update: Uint8Array; origin: unknown }> = [];
  /** Whether the last transaction changed the doc (set by the afterTransaction listener). */
  #lastTransactionChanged = false;
  #compacting: Promise<void> | null = null;
  /**
   * The stored snapshot while the doc holds exactly it (loaded from a snapshot with no log after
   * it, no write since): a fresh client's first sync is answered with these bytes at once,
   * without waiting for the doc to be built or encoding it. Dropped at the first write.
   */
  #pristineState: Uint8Array | null = null;
  /** Set while a freshly loaded room holds back its queue (see load). */
  #deferredStart: (() => void) | null = null;
  #buildTimer: NodeJS.Timeout | null = null;
  /** Peers closed for a bad or oversized update (a weak set: nothing to clean up). */
  readonly #refusedPeers = new WeakSet<Peer>();
  #broken = false;
  #destroyed = false;
  lastActive = Date.now();

  private constructor(name: string, storage: RoomStorage, limits: RoomLimits, log: Logger) {
    this.name = name;
    this.#storage = storage;
    this.#limits = limits;
    this.#log = log;
    this.#drained.resolve();
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null); // the server itself is not present
    // No 'update' listener for peer writes: Yjs would re-encode every transaction. A peer's update
    // is stored and relayed as the bytes it sent (see #applyPeerUpdate).
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.#lastTransactionChanged = transactionChangedDoc(transaction);
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed];
      const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const peer of this.peers) peer.send(message);
    });
  }

  /**
   * Reads the room from storage. The doc is built from it as the first queued work, so whatever
   * is queued sees it built, and a fresh client can be answered from the snapshot before that.
   */
  static async load(name: string, storage: RoomStorage, limits: RoomLimits, log: Logger): Promise<Room> {
    const room = new Room(name, storage, limits, log);
    const stored = await storage.load(name);
    room.#seq = stored.seq;
    room.#bytes = stored.bytes;
    room.#sinceSnapshot = stored.updates.length;
    room.#snapshotBytes = stored.snapshot?.byteLength ?? 0;
    room.#queue.push({
      kind: 'reply',
      run: () => {
        applyStored(room.doc, stored, (error) => log.error('stored update does not apply; skipped', { room: name, error: String(error) }));
        room.#captured = [];
      },
    });
    room.#running = true;
    room.#drained = Promise.withResolvers<void>();
    if (stored.snapshot && stored.updates.length === 0) {
      room.#pristineState = stored.snapshot;
      // Building the doc blocks the event loop (for a big room, hundreds of ms). It waits for the
      // first client's sync step 1, answered from the snapshot, or any other work, or a moment.
      room.#buildTimer = setTimeout(() => room.#startDeferred(), PRISTINE_BUILD_WAIT_MS);
      room.#deferredStart = () => setImmediate(() => void room.#run());
    } else {
      setImmediate(() => void room.#run());
    }
    return room;
  }

  get broken(): boolean {
    return this.#broken;
  }

  /** Unloaded: a new Room instance serves this name from now on. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** True when nothing is queued or being written. */
  get idle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  get storedBytes(): number {
    return this.#bytes;
  }

  /** Resolves when the queue is empty (everything accepted so far is committed). */
  drained(): Promise<void> {
    return this.#drained.promise;
  }

  /** Marks the room as in use now, so an idle sweep running concurrently does not unload it. */
  touch(): void {
    this.lastActive = Date.now();
  }

  join(peer: Peer): void {
    this.peers.add(peer);
    this.touch();
    this.sendAwarenessTo(peer);
    // Even the state vector waits for the writes before it: a client must not be told we hold
    // something that a crash could still take away. (Queued without starting a deferred build:
    // the peer's own sync step 1 comes next.)
    this.#enqueue(
      {
        kind: 'reply',
        run: () => {
          const step1 = encoding.createEncoder();
          encoding.writeVarUint(step1, MessageType.sync);
          encoding.writeVarUint(step1, SyncStep.step1);
          encoding.writeVarUint8Array(step1, Y.encodeStateVector(this.doc));
          peer.send(encoding.toUint8Array(step1));
        },
      },
      { deferrable: true },
    );
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.touch();
    if (peer.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
    }
  }

  /**
   * A peer's presence. Names are overwritten with the authenticated user's, and a peer may only
   * speak for awareness client ids no other peer of this room has claimed. Throws on bad input.
   */
  receiveAwareness(update: Uint8Array, from: Peer): void {
    const rewritten = rewriteAwareness(update, from, (clientId) => {
      for (const peer of this.peers) if (peer !== from && peer.awarenessIds.has(clientId)) return false;
      return true;
    });
    if (rewritten.clientIds.length === 0) return;
    const introduced = new Set([...from.awarenessIds, ...rewritten.clientIds]);
    if (introduced.size > MAX_AWARENESS_IDS_PER_PEER) throw new Error('too many awareness client ids');
    for (const id of rewritten.clientIds) from.awarenessIds.add(id);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, rewritten.update, from);
  }

  /** Answers a query for presence with every known state. */
  sendAwarenessTo(peer: Peer): void {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
  }

  /** A peer's Yjs update: stored, then applied, relayed and acknowledged. */
  receiveUpdate(update: Uint8Array, from: Peer): void {
    this.#enqueue({ kind: 'update', update, from });
  }

  /** A peer's sync step 1: answered with what it lacks, once everything before it is committed. */
  receiveStateVector(stateVector: Uint8Array, from: Peer): void {
    if (this.#pristineState && !this.#queue.some((work) => work.kind !== 'reply') && Y.decodeStateVector(stateVector).size === 0) {
      // Nothing to wait for: no write is queued, and the snapshot is all the room holds. A build
      // still held back waits until these bytes are out: it would block their sending.
      if (this.#deferredStart) this.#clearBuildTimer();
      from.send(encodeSyncStep2(this.#pristineState), () => this.#startDeferred());
      return;
    }
    this.#enqueue({
      kind: 'reply',
      run: () => {
        from.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
      },
    });
  }

  /**
   * A server-side change (an intent in a shared room). `apply` runs against the live doc and may
   * throw a RoomError to refuse; the promise resolves with its result once the change is committed.
   */
  change<T>(apply: (doc: Y.Doc) => T): Promise<T> {
    const unavailable = this.#unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const done = Promise.withResolvers<unknown>();
    this.#enqueue({ kind: 'change', apply, done });
    return done.promise as Promise<T>;
  }

  /** Reads the committed document (never a batch that is still being written). */
  read<T>(query: (doc: Y.Doc) => T): Promise<T> {
    const unavailable = this.#unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const done = Promise.withResolvers<T>();
    this.#enqueue({
      kind: 'reply',
      run: () => {
        try {
          done.resolve(query(this.doc));
        } catch (error) {
          done.reject(error);
        }
      },
      fail: (error) => done.reject(error),
    });
    return done.promise;
  }

  destroy(): void {
    this.#destroyed = true;
    this.#startDeferred(); // clears its timer; the run finds an empty queue
    for (const work of this.#queue.splice(0)) this.#fail(work, new RoomError(503, 'room unloaded, try again'));
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Starts the queue held back for a freshly loaded room's doc build, once. */
  #startDeferred(): void {
    this.#clearBuildTimer();
    const start = this.#deferredStart;
    this.#deferredStart = null;
    start?.();
  }

  #clearBuildTimer(): void {
    if (this.#buildTimer) clearTimeout(this.#buildTimer);
    this.#buildTimer = null;
  }

  #unavailable(): RoomError | null {
    if (this.#broken) return new RoomError(503, 'room unavailable, try again');
    if (this.#destroyed) return new RoomError(503, 'room unloaded, try again');
    return null;
  }

  #fail(work: Work, error: RoomError): void {
    if (work.kind === 'change') work.done.reject(error);
    else if (work.kind === 'reply') work.fail?.(error);
  }

  #enqueue(work: Work, { deferrable = false } = {}): void {
    this.touch();
    this.#queue.push(work);
    if (!deferrable) this.#startDeferred();
    if (!this.#running) {
      this.#running = true;
      this.#drained = Promise.withResolvers<void>();
      // Let the rest of this turn's messages join the batch.
      setImmediate(() => void this.#run());
    }
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#broken) {
        const batch = this.#queue.splice(0);
        try {
          await this.#process(batch);
        } catch (error) {
          // Unexpected: the doc may be ahead of storage, so stop serving it (it reloads from storage).
          this.#breakDown('room batch failed', error, batch);
        }
      }
    } finally {
      this.#running = false;
      this.#drained.resolve();
    }
  }

  #breakDown(what: string, error: unknown, inFlight: readonly Work[]): void {
    this.#broken = true;
    this.#log.error(`${what}; room dropped`, { room: this.name, error: String(error) });
    for (const peer of this.peers) peer.close(CloseCode.internalError, 'storage failure');
    for (const work of [...inFlight, ...this.#queue.splice(0)])
      this.#fail(work, new RoomError(503, 'could not store the change, try again'));
  }

  async #process(batch: Work[]): Promise<void> {
    // Everything up to the first write can be answered now: the doc holds only committed state.
    let i = 0;
    for (; i < batch.length && batch[i]?.kind === 'reply'; i++) (batch[i] as { run: () => void }).run();
    const rest = batch.slice(i);
    if (rest.length === 0) return;
    this.#pristineState = null;

    const perPeer = new Map<Peer, number>();
    const outcomes: Array<{ done: PromiseWithResolvers<unknown>; value?: unknown; error?: unknown }> = [];
    this.#captured = [];
    // Bytes this batch adds so far, counted incrementally (a batch may hold thousands of updates).
    let batchBytes = 0;
    let counted = 0;
    const captureSize = () => {
      for (; counted < this.#captured.length; counted++) batchBytes += this.#captured[counted]?.update.byteLength ?? 0;
      return batchBytes;
    };
    for (const work of rest) {
      if (work.kind === 'update') {
        this.#applyPeerUpdate(work.update, work.from, perPeer, this.#bytes + batchBytes);
        batchBytes = captureSize();
      } else if (work.kind === 'change') {
        if (this.#bytes + batchBytes >= this.#limits.maxDocBytes) {
          outcomes.push({ done: work.done, error: new RoomError(413, 'document size cap reached: further writes are refused') });
          continue;
        }
        const capture = (update: Uint8Array) => this.#captured.push({ update, origin: null });
        this.doc.on('update', capture);
        try {
          outcomes.push({ done: work.done, value: this.doc.transact(() => work.apply(this.doc), null) });
        } catch (error) {
          outcomes.push({ done: work.done, error });
        } finally {
          this.doc.off('update', capture);
        }
        batchBytes = captureSize();
      }
    }
    const captured = this.#captured;
    this.#captured = [];

    if (captured.length > 0) {
      const rows = captured.map(({ update }) => ({ room: this.name, seq: ++this.#seq, data: update }));
      try {
        await this.#storage.append(rows);
      } catch (error) {
        // The live doc is now ahead of storage: drop the room so it reloads from what is durable.
        this.#breakDown('commit failed', error, rest);
        return;
      }
      for (const row of rows) this.#bytes += row.data.byteLength;
      this.#sinceSnapshot += rows.length;
      for (const { update, origin } of captured) this.#broadcast(update, origin);
    }
    for (const [peer, count] of perPeer) peer.committed(count);
    for (const o of outcomes) {
      if ('error' in o && o.error !== undefined) o.done.reject(o.error);
      else o.done.resolve(o.value);
    }
    // Replies queued after writes in this batch see the committed result.
    for (const work of rest) if (work.kind === 'reply') work.run();
    // Encoding the snapshot costs as much as the document is big: waiting until the log is as big
    // keeps that cost proportional to what was written, and a load reads at most twice the document.
    if (this.#sinceSnapshot >= this.#limits.compactAfterUpdates && this.#bytes - this.#snapshotBytes >= this.#snapshotBytes) {
      try {
        await this.#compact();
      } catch (error) {
        // The log is still complete; compaction is retried after the next batch.
        this.#log.warn('compaction failed', { room: this.name, error: String(error) });
      }
    }
  }

  #applyPeerUpdate(update: Uint8Array, from: Peer, perPeer: Map<Peer, number>, bytesSoFar: number): void {
    // A peer refused earlier in this batch gets none of its later updates applied: they may build
    // on the refused one. (A peer that merely disconnected still gets its whole updates stored.)
    if (this.#refusedPeers.has(from)) return;
    if (bytesSoFar + update.byteLength > this.#limits.maxDocBytes) {
      this.#refusedPeers.add(from);
      from.close(CloseCode.documentTooLarge, 'document size cap reached: further writes are refused');
      return;
    }
    const { store } = this.doc;
    const pendingBefore = [store.pendingStructs, store.pendingDs];
    this.#lastTransactionChanged = false;
    try {
      Y.applyUpdate(this.doc, update, from);
    } catch {
      this.#refusedPeers.add(from);
      from.close(CloseCode.badMessage, 'malformed Yjs update');
      return;
    }
    perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
    // Stored and relayed as received when it changed the doc, or when Yjs kept parts of it aside
    // until their dependencies arrive (acknowledging it must stay truthful, and the peers need
    // those parts too: the update that completes them carries only itself). Duplicates and
    // no-ops are neither stored nor relayed.
    const setAside =
      (store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1]) && (store.pendingStructs || store.pendingDs);
    if (this.#lastTransactionChanged || setAside) this.#captured.push({ update, origin: from });
  }

  #broadcast(update: Uint8Array, origin: unknown): void {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MessageType.sync);
    encoding.writeVarUint(message, SyncStep.update);
    encoding.writeVarUint8Array(message, update);
    const bytes = encoding.toUint8Array(message);
    for (const peer of this.peers) if (peer !== origin) peer.send(bytes);
  }

  /** Folds the update log into a snapshot when no batch is in flight (e.g. before unloading). */
  async compactWhenIdle(): Promise<void> {
    if (this.idle) await this.#compact();
  }

  /**
   * Called only between batches, when the doc holds exactly what is stored; the snapshot is taken
   * at once. One compaction at a time: a call during another one waits for it instead.
   */
  #compact(): Promise<void> {
    if (this.#compacting) return this.#compacting;
    if (this.#sinceSnapshot === 0 || this.#broken) return Promise.resolve();
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const seq = this.#seq;
    const counted = this.#sinceSnapshot;
    const bytesBefore = this.#bytes;
    this.#compacting = (async () => {
      try {
        await this.#storage.compact(this.name, snapshot, seq);
        // Updates appended meanwhile have higher seqs and stay in the log.
        this.#sinceSnapshot -= counted;
        this.#bytes = snapshot.byteLength + (this.#bytes - bytesBefore);
        this.#snapshotBytes = snapshot.byteLength;
      } finally {
        this.#compacting = null;
      }
    })();
    return this.#compacting;
  }
}

/** Yjs's own test for whether a transaction has anything to encode as an update. */
function transactionChangedDoc(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
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

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncStep.step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
