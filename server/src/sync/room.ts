/**
 * One loaded Y.Doc and the peers connected to it.
 *
 * Write before relay: writes (client updates, server-side changes from intents) are applied in
 * batches; a batch is committed to storage before any of it is broadcast, acknowledged or
 * answered. Sync replies are queued behind the writes before them and sent only between batches,
 * so nothing a peer ever receives is uncommitted.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../log.ts';
import type { PendingUpdate, StoredDoc } from '../storage/doc-store.ts';

export interface RoomStorage {
  load(room: string): Promise<StoredDoc>;
  append(updates: readonly PendingUpdate[]): Promise<void>;
  compact(room: string, snapshot: Uint8Array, seq: number): Promise<void>;
}

export interface RoomLimits {
  /** A document whose stored size exceeds this refuses further writes. */
  maxDocBytes: number;
  /** Fold the update log into a snapshot after this many updates. */
  compactAfterUpdates: number;
}

/** What a room needs from a connection. */
export interface Peer {
  readonly userId: string;
  readonly userName: string;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Called once per committed batch with how many of this peer's updates it held. */
  committed(count: number): void;
  /** Awareness client ids this peer introduced; it may only update those. */
  readonly awarenessIds: Set<number>;
}

type Work =
  | { kind: 'update'; update: Uint8Array; from: Peer }
  | { kind: 'change'; apply: (doc: Y.Doc) => unknown; done: PromiseWithResolvers<unknown> }
  | { kind: 'reply'; run: () => void };

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
  /** Updates produced by the batch being applied, with their origin (a Peer, or null for the server). */
  #captured: Array<{ update: Uint8Array; origin: unknown }> = [];
  #broken = false;
  lastActive = Date.now();

  private constructor(name: string, storage: RoomStorage, limits: RoomLimits, log: Logger) {
    this.name = name;
    this.#storage = storage;
    this.#limits = limits;
    this.#log = log;
    this.#drained.resolve();
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null); // the server itself is not present
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.#captured.push({ update, origin }));
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed];
      const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const peer of this.peers) peer.send(message);
    });
  }

  static async load(name: string, storage: RoomStorage, limits: RoomLimits, log: Logger): Promise<Room> {
    const room = new Room(name, storage, limits, log);
    const stored = await storage.load(name);
    room.doc.transact(() => {
      for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
        try {
          Y.applyUpdate(room.doc, update);
        } catch (error) {
          log.error('stored update does not apply; skipped', { room: name, error: String(error) });
        }
      }
    });
    room.#captured = [];
    room.#seq = stored.seq;
    room.#bytes = stored.bytes;
    room.#sinceSnapshot = stored.updates.length;
    return room;
  }

  get broken(): boolean {
    return this.#broken;
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

  join(peer: Peer): void {
    this.peers.add(peer);
    this.lastActive = Date.now();
    // Sync step 1 reveals only the state vector; the full state follows the peer's own step 1.
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MessageType.sync);
    encoding.writeVarUint(step1, SyncStep.step1);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(this.doc));
    peer.send(encoding.toUint8Array(step1));
    this.sendAwarenessTo(peer);
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.lastActive = Date.now();
    if (peer.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
    }
  }

  /**
   * A peer's presence. Names are overwritten with the authenticated user's, and a peer may only
   * speak for awareness client ids no other peer of this room has claimed.
   */
  receiveAwareness(update: Uint8Array, from: Peer): void {
    const rewritten = rewriteAwareness(update, from, (clientId) => {
      for (const peer of this.peers) if (peer !== from && peer.awarenessIds.has(clientId)) return false;
      return true;
    });
    if (rewritten.clientIds.length === 0) return;
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
    this.#enqueue({
      kind: 'reply',
      run: () => {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MessageType.sync);
        encoding.writeVarUint(reply, SyncStep.step2);
        encoding.writeVarUint8Array(reply, Y.encodeStateAsUpdate(this.doc, stateVector));
        from.send(encoding.toUint8Array(reply));
      },
    });
  }

  /**
   * A server-side change (an intent in a shared room). `apply` runs against the live doc and may
   * throw a RoomError to refuse; the promise resolves with its result once the change is committed.
   */
  change<T>(apply: (doc: Y.Doc) => T): Promise<T> {
    if (this.#broken) return Promise.reject(new RoomError(503, 'room unavailable, try again'));
    const done = Promise.withResolvers<unknown>();
    this.#enqueue({ kind: 'change', apply, done });
    return done.promise as Promise<T>;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }

  #enqueue(work: Work): void {
    this.lastActive = Date.now();
    this.#queue.push(work);
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
        await this.#process(batch);
      }
    } finally {
      this.#running = false;
      this.#drained.resolve();
    }
  }

  async #process(batch: Work[]): Promise<void> {
    // Everything up to the first write can be answered now: the doc holds only committed state.
    let i = 0;
    for (; i < batch.length && batch[i]?.kind === 'reply'; i++) (batch[i] as { run: () => void }).run();
    const rest = batch.slice(i);
    if (rest.length === 0) return;

    const perPeer = new Map<Peer, number>();
    const outcomes: Array<{ done: PromiseWithResolvers<unknown>; value?: unknown; error?: unknown }> = [];
    this.#captured = [];
    for (const work of rest) {
      if (work.kind === 'update') this.#applyPeerUpdate(work.update, work.from, perPeer);
      else if (work.kind === 'change') {
        try {
          outcomes.push({ done: work.done, value: this.doc.transact(() => work.apply(this.doc), null) });
        } catch (error) {
          outcomes.push({ done: work.done, error });
        }
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
        this.#broken = true;
        this.#log.error('commit failed; room dropped', { room: this.name, error: String(error) });
        for (const o of outcomes) o.done.reject(new RoomError(503, 'could not store the change, try again'));
        for (const peer of this.peers) peer.close(CloseCode.internalError, 'storage failure');
        for (const work of this.#queue.splice(0))
          if (work.kind === 'change') work.done.reject(new RoomError(503, 'room unavailable, try again'));
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
    if (this.#sinceSnapshot >= this.#limits.compactAfterUpdates) await this.#compact();
  }

  #applyPeerUpdate(update: Uint8Array, from: Peer, perPeer: Map<Peer, number>): void {
    // A peer that closed while its update was queued still gets it stored: it was received whole.
    if (this.#bytes + update.byteLength > this.#limits.maxDocBytes) {
      from.close(CloseCode.documentTooLarge, 'document size cap reached: further writes are refused');
      return;
    }
    try {
      Y.applyUpdate(this.doc, update, from);
      perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
    } catch {
      from.close(CloseCode.badMessage, 'malformed Yjs update');
    }
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

  /** Runs only between batches, when the doc holds exactly what is stored. */
  async #compact(): Promise<void> {
    if (this.#sinceSnapshot === 0 || this.#broken) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const seq = this.#seq;
    const counted = this.#sinceSnapshot;
    const bytesBefore = this.#bytes;
    await this.#storage.compact(this.name, snapshot, seq);
    // Updates appended meanwhile have higher seqs and stay in the log.
    this.#sinceSnapshot -= counted;
    this.#bytes = snapshot.byteLength + (this.#bytes - bytesBefore);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Re-encodes an awareness update with the authenticated name; entries for foreign client ids are dropped. */
export function rewriteAwareness(
  update: Uint8Array,
  peer: Pick<Peer, 'userId' | 'userName'>,
  mayUse: (clientId: number) => boolean,
): { update: Uint8Array; clientIds: number[] } {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: Array<{ clientId: number; clock: number; state: string }> = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    if (!mayUse(clientId)) continue;
    const state: unknown = JSON.parse(raw);
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('awareness state must be an object or null');
    if (state !== null) {
      const record = state as Record<string, unknown>;
      const user = typeof record.user === 'object' && record.user !== null && !Array.isArray(record.user) ? record.user : {};
      record.user = { ...user, name: peer.userName, id: peer.userId };
    }
    entries.push({ clientId, clock, state: JSON.stringify(state) });
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return { update: encoding.toUint8Array(encoder), clientIds: entries.map((e) => e.clientId) };
}
