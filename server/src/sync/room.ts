/**
 * One loaded Y.Doc and the peers connected to it.
 *
 * Write before relay: writes (client updates, server-side changes from intents) are applied in
 * batches; a batch is committed to storage before any of it is broadcast, acknowledged or
 * answered. Everything that reveals the document (sync step 1 and 2, HTTP reads) is queued behind
 * the writes before it and runs only between batches, so nothing anyone ever receives is
 * uncommitted.
 *
 * Several processes (a RoomLink to the others): what they committed arrives as seq-numbered
 * updates and is applied between batches like any write, but relayed without being stored again.
 * The room knows the seq up to which its doc holds everything (`#held`); a gap it cannot fill
 * from what it heard is read from storage. Intents (server-side changes) run as exclusive
 * appends: they first see everything committed to the room, and nobody commits in between.
 * docs/ARCHITECTURE.md, "Several processes", has the whole argument.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Fanout, RoomLink } from '../fanout/fanout.ts';
import { FanoutKind, type PublishedRow, publishedRows, type RoomMessage } from '../fanout/fanout-message.ts';
import type { Logger } from '../log.ts';
import type { DocStore, StoredDoc } from '../storage/doc-store.ts';
import { HeldSeqs } from './held-seqs.ts';
import { integrateInSlices, transactionChangedDoc } from './integrate-sliced.ts';
import { NextTurn } from './next-turn.ts';
import { RoomPresence } from './room-presence.ts';
import type { StorageAccount } from './storage-account.ts';
import { MalformedUpdate } from './update-slices.ts';

/** What a room needs from storage; `append` is the group-commit queue in front of DocStore.append. */
export type RoomStorage = Pick<DocStore, 'load' | 'append' | 'appendExclusive' | 'compact'>;

export interface RoomLimits {
  /** A document whose stored size would pass this refuses further writes. */
  maxDocBytes: number;
  /** Presence states of all peers together, JSON characters; an update past it is dropped. */
  maxPresenceBytes: number;
  /** Structures one update may hold; a peer sending more is closed with 4413. */
  maxUpdateStructs: number;
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

/** Updates larger than this are integrated in slices (see Room.#integrateSliced). */
const SLICE_FROM_BYTES = 64 * 1024;

/** What an empty Y.Doc encodes to: the stored state of a room that was reset. */
const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

/** Near its size cap a room folds its log at most this often (see #process). */
const CAP_COMPACTION_INTERVAL_MS = 2_000;

/** How long a room loaded from a snapshot alone waits for a first client's sync step 1 before building its doc. */
const PRISTINE_BUILD_WAIT_MS = 50;

/** What a room needs from a connection. */
export interface Peer {
  readonly userId: string;
  readonly userName: string;
  readonly closed: boolean;
  /** `onSent` runs once the message has left the server's buffers (or the socket is gone). */
  send(message: Uint8Array, onSent?: () => void): void;
  /** Sends an answer to the peer's own request (it counts against the peer's user's share). */
  answer(message: Uint8Array, onSent?: () => void): void;
  /** The server sent `bytes` to other peers on this peer's behalf. */
  spend(bytes: number): void;
  close(code: number, reason: string): void;
  /** Called once per committed batch with how many of this peer's updates it held. */
  committed(count: number): void;
  /** Messages sent between cork and uncork leave together, in one write to the socket. */
  cork(): void;
  uncork(): void;
  /** Awareness client ids this peer introduced; it may only update those. */
  readonly awarenessIds: ReadonlySet<number>;
  claimAwarenessId(id: number): void;
}

type Work =
  /** `integrated`: already applied in slices (see #integrateSliced), and whether it must be kept. */
  | { kind: 'update'; update: Uint8Array; from: Peer; integrated?: boolean }
  | { kind: 'change'; apply: (doc: Y.Doc) => unknown; done: PromiseWithResolvers<unknown>; evenWhenFull: boolean }
  | { kind: 'reply'; run: () => void; fail?: (error: RoomError) => void }
  /** Updates another process committed. */
  | { kind: 'remote'; rows: PublishedRow[] }
  /** Read from storage whatever other processes committed that this doc lacks. */
  | { kind: 'catchUp' };

type Outcome = { done: PromiseWithResolvers<unknown>; value?: unknown; error?: unknown };
/** An update a batch made to the doc, with its origin (a Peer, null for the server, or REMOTE). */
type Captured = { update: Uint8Array; origin: unknown };
/** A committed batch, to relay: what other processes committed first (`missed`), then ours. */
type Commit = { missed: Captured[]; captured: Captured[]; seqs: number[] };

/** Marks what another process committed: relayed, never stored again. */
const REMOTE = Symbol('remote');

/**
 * How long a hole in the seqs may stay open before the room reads it from storage: updates of
 * two processes may reach a third in either order, so a hole is usually filled a moment later.
 */
const GAP_WAIT_MS = 250;

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
  readonly peers = new Set<Peer>();
  readonly presence: RoomPresence;
  #storage: RoomStorage;
  #limits: RoomLimits;
  #log: Logger;
  /** Shared by a process's rooms: their batches of one turn start, and commit, together. */
  #turn: NextTurn;
  #queue: Work[] = [];
  #running = false;
  #drained = Promise.withResolvers<void>();
  /** The seqs of the updates the doc holds. */
  #held = new HeldSeqs();
  #gapTimer: NodeJS.Timeout | null = null;
  /** The other processes, when there are any; null on a single server. */
  #link: RoomLink | null = null;
  /** Work waits until the room has loaded (messages from other processes may arrive before). */
  #ready = false;
  #bytes = 0;
  /** A notes room's user's storage across their rooms (their own quota); null for shared rooms. */
  #account: StorageAccount | null = null;
  #sinceSnapshot = 0;
  /** Bytes of the stored snapshot (the rest of #bytes is the log after it). */
  #snapshotBytes = 0;
  /** Updates of the batch being applied, to store and relay, with their origin. */
  #captured: Captured[] = [];
  /** Whether the last transaction changed the doc (set by the afterTransaction listener). */
  #lastTransactionChanged = false;
  /** The answer to a sync step 1 with an empty state vector, until the doc changes: many clients ask it. */
  #fullStateAnswer: Uint8Array | null = null;
  #compacting: Promise<void> | null = null;
  /** When a compaction last ran because the room was near its size cap. */
  #capCompactedAt = Number.NEGATIVE_INFINITY;
  /** When compaction became due (0: not due), and the timer that runs it once the room is quiet. */
  #compactDueSince = 0;
  #quietTimer: NodeJS.Timeout | null = null;
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
  /** Being emptied by an administrator: no more work is taken (see reset). */
  #resetting = false;
  #destroyed = false;
  lastActive = Date.now();

  private constructor(name: string, storage: RoomStorage, limits: RoomLimits, log: Logger, turn: NextTurn) {
    this.name = name;
    this.#turn = turn;
    this.#storage = storage;
    this.#limits = limits;
    this.#log = log;
    this.#drained.resolve();
    this.presence = new RoomPresence(name, this.doc, this.peers, (message) => this.#link?.publish(message), log, limits.maxPresenceBytes);
    // No 'update' listener for peer writes: Yjs would re-encode every transaction. A peer's (or
    // another process's) update is stored and relayed as the bytes it sent (see #applyRaw).
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.#lastTransactionChanged = transactionChangedDoc(transaction);
      if (this.#lastTransactionChanged) this.#fullStateAnswer = null;
    });
  }

  /**
   * Reads the room from storage. The doc is built from it as the first queued work, so whatever
   * is queued sees it built, and a fresh client can be answered from the snapshot before that.
   * With `fanout`, the room hears other processes from before its load on, so it misses nothing.
   */
  static async load(
    name: string,
    storage: RoomStorage,
    limits: RoomLimits,
    log: Logger,
    fanout: Fanout | null = null,
    turn = new NextTurn(),
    account: StorageAccount | null = null,
  ): Promise<Room> {
    const room = new Room(name, storage, limits, log, turn);
    room.#account = account;
    let stored: StoredDoc;
    try {
      if (fanout) room.#link = await fanout.join(name, (message) => room.#hear(message));
      stored = await storage.load(name);
    } catch (error) {
      room.#link?.close();
      throw error;
    }
    room.#held = new HeldSeqs(stored.seq);
    room.#bytes = stored.bytes;
    room.#sinceSnapshot = stored.updates.length;
    room.#snapshotBytes = stored.snapshot?.byteLength ?? 0;
    // Before what arrived from other processes during the load (updates it holds are skipped by seq).
    room.#queue.unshift({
      kind: 'reply',
      run: () =>
        applyStored(room.doc, stored, (error) => log.error('stored update does not apply; skipped', { room: name, error: String(error) })),
    });
    room.#ready = true;
    if (stored.snapshot && stored.updates.length === 0 && room.#queue.length === 1) {
      room.#pristineState = stored.snapshot;
      // Building the doc blocks the event loop (for a big room, hundreds of ms). It waits for the
      // first client's sync step 1, answered from the snapshot, or any other work, or a moment.
      room.#running = true;
      room.#drained = Promise.withResolvers<void>();
      room.#buildTimer = setTimeout(() => room.#startDeferred(), PRISTINE_BUILD_WAIT_MS);
      room.#deferredStart = () => turn.run(() => void room.#run());
    } else {
      room.#start();
    }
    room.#link?.publish({ kind: FanoutKind.awarenessQuery });
    return room;
  }

  /** The doc holds every update with a seq up to this one. */
  get appliedSeq(): number {
    return this.#held.through;
  }

  /** Reads what other processes committed that this doc lacks (after a lost connection, say). */
  catchUp(): void {
    // A broken room reloads from storage anyway; queued work would only keep it in memory.
    if (!this.#destroyed && !this.#broken) this.#enqueue({ kind: 'catchUp' });
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
    this.presence.sendTo(peer);
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
    this.presence.leave(peer);
  }

  /** A peer's Yjs update: stored, then applied, relayed and acknowledged. */
  receiveUpdate(update: Uint8Array, from: Peer): void {
    this.#enqueue({ kind: 'update', update, from });
  }

  /**
   * A peer's sync step 1: answered with what it lacks, once everything before it is committed.
   * `onSent` runs once the answer has left the server's buffers (or could not be sent).
   */
  receiveStateVector(stateVector: Uint8Array, from: Peer, onSent?: () => void): void {
    if (this.#pristineState && !this.#queue.some((work) => work.kind !== 'reply') && Y.decodeStateVector(stateVector).size === 0) {
      // Nothing to wait for: no write is queued, and the snapshot is all the room holds. A build
      // still held back waits until these bytes are out: it would block their sending.
      if (this.#deferredStart) this.#clearBuildTimer();
      from.answer(encodeSyncMessage(SyncStep.step2, this.#pristineState), () => {
        this.#startDeferred();
        onSent?.();
      });
      return;
    }
    this.#enqueue({
      kind: 'reply',
      run: () => from.answer(this.#syncAnswer(stateVector), onSent),
      fail: () => onSent?.(),
    });
  }

  #syncAnswer(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    if (!empty) return encodeSyncMessage(SyncStep.step2, Y.encodeStateAsUpdate(this.doc, stateVector));
    this.#fullStateAnswer ??= encodeSyncMessage(SyncStep.step2, Y.encodeStateAsUpdate(this.doc));
    return this.#fullStateAnswer;
  }

  /**
   * A server-side change (an intent in a shared room). `apply` runs against the live doc and may
   * throw a RoomError to refuse; the promise resolves with its result once the change is committed.
   * `evenWhenFull`: a change that frees space (a delete) is applied past the size cap too.
   */
  change<T>(apply: (doc: Y.Doc) => T, { evenWhenFull = false } = {}): Promise<T> {
    const unavailable = this.#unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const done = Promise.withResolvers<unknown>();
    this.#enqueue({ kind: 'change', apply, done, evenWhenFull });
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
    this.#link?.close();
    if (this.#gapTimer) clearTimeout(this.#gapTimer);
    this.#clearQuietTimer();
    for (const work of this.#queue.splice(0)) this.#fail(work, new RoomError(503, 'room unloaded, try again'));
    this.presence.destroy();
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

  /** The stored size this room may reach: its own cap, or less when its user's quota is nearly spent. */
  #cap(): number {
    return this.#account ? Math.min(this.#limits.maxDocBytes, this.#bytes + Math.max(0, this.#account.left)) : this.#limits.maxDocBytes;
  }

  #capReason(): string {
    return this.#cap() < this.#limits.maxDocBytes
      ? 'storage quota reached: your notes take all the space you have on this server'
      : 'document size cap reached: further writes are refused';
  }

  #addBytes(delta: number): void {
    this.#bytes += delta;
    this.#account?.change(delta);
  }

  #unavailable(): RoomError | null {
    if (this.#resetting) return new RoomError(503, 'room being reset, try again');
    if (this.#broken) return new RoomError(503, 'room unavailable, try again');
    if (this.#destroyed) return new RoomError(503, 'room unloaded, try again');
    return null;
  }

  #fail(work: Work, error: RoomError): void {
    if (work.kind === 'change') work.done.reject(error);
    else if (work.kind === 'reply') work.fail?.(error);
  }

  #enqueue(work: Work, { deferrable = false } = {}): void {
    if (this.#resetting) {
      this.#fail(work, new RoomError(503, 'room being reset, try again'));
      return;
    }
    // Other processes' writes do not keep a room without peers in memory.
    if (work.kind !== 'remote' && work.kind !== 'catchUp') this.touch();
    this.#queue.push(work);
    if (!deferrable) this.#startDeferred();
    if (!this.#running && this.#ready) this.#start();
  }

  #start(): void {
    this.#running = true;
    this.#drained = Promise.withResolvers<void>();
    // Let the rest of this turn's messages join the batch.
    this.#turn.run(() => void this.#run());
  }

  /** A message from another process that has this room loaded. */
  #hear(message: RoomMessage): void {
    if (this.#destroyed || this.#broken) return;
    if (message.kind === FanoutKind.updates) {
      this.#enqueue({ kind: 'remote', rows: message.rows });
    } else if (message.kind === FanoutKind.reset) {
      this.#dropAfterReset();
    } else {
      this.presence.hear(message);
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

  /**
   * Empties the room for good (an administrator's last resort): once what was accepted is
   * committed, its storage becomes an empty document, the other processes drop their copies, and
   * so does this one: its peers are closed with 1012 and reconnect to the empty room. Work that
   * arrives meanwhile is refused (503). A notes room's owner's devices hold their own copies,
   * which they send again.
   */
  async reset(): Promise<void> {
    const unavailable = this.#unavailable();
    if (unavailable) throw unavailable;
    this.#resetting = true;
    this.#startDeferred();
    await this.drained();
    await this.#compacting;
    await this.#storage.compact(this.name, EMPTY_STATE, this.#held.through);
    this.#link?.publish({ kind: FanoutKind.reset });
    this.#dropAfterReset();
  }

  #dropAfterReset(): void {
    this.#broken = true; // the rooms that hold it load it again from storage
    this.#log.info('room reset by an administrator', { room: this.name });
    for (const peer of [...this.peers]) peer.close(CloseCode.serviceRestart, 'room reset');
    for (const work of this.#queue.splice(0)) this.#fail(work, new RoomError(503, 'room reset, try again'));
  }

  async #process(batch: Work[]): Promise<void> {
    // Everything up to the first write can be answered now: the doc holds only committed state.
    let i = 0;
    for (; i < batch.length && batch[i]?.kind === 'reply'; i++) (batch[i] as { run: () => void }).run();
    const rest = batch.slice(i);
    if (rest.length === 0) return;
    this.#pristineState = null;

    // What other processes committed goes first: it is durable already, only relayed here.
    let mustCatchUp = false;
    // Corking every socket costs two calls per peer: only when there is something to relay.
    if (rest.some((w) => w.kind === 'remote' || w.kind === 'catchUp')) {
      this.#sendTogether(() => {
        for (const work of rest) {
          if (work.kind === 'remote') mustCatchUp = this.#applyRemote(work.rows) || mustCatchUp;
          else if (work.kind === 'catchUp') mustCatchUp = true;
        }
      });
    }
    if (mustCatchUp) await this.#catchUp();
    // Near the size cap, what deletes freed still counts until the log is folded: fold it before
    // these writes are weighed against the cap (now and then: it re-encodes the whole document).
    const now = performance.now();
    if (this.#bytes >= this.#cap() * 0.9 && this.#sinceSnapshot > 0 && now - this.#capCompactedAt >= CAP_COMPACTION_INTERVAL_MS) {
      this.#capCompactedAt = now;
      await this.#compactNow();
    }

    const writes = rest.filter((w) => w.kind === 'update' || w.kind === 'change');
    const perPeer = new Map<Peer, number>();
    const outcomes: Outcome[] = [];
    let commit: Commit | null = null;
    // Big updates are integrated first, in slices, letting the other rooms run in between.
    for (const work of writes) if (work.kind === 'update' && work.update.byteLength > SLICE_FROM_BYTES) await this.#integrateSliced(work);
    if (writes.length > 0) {
      // A change (an intent) decides on what the doc holds, so with other processes writing the
      // room it must see all they committed and nobody may commit in between.
      const exclusive = this.#link !== null && writes.some((w) => w.kind === 'change');
      commit = exclusive ? await this.#commitExclusive(writes, perPeer, outcomes) : await this.#commit(writes, perPeer, outcomes);
      if (!commit) return;
    }
    const send = () => {
      if (commit) this.#committed(commit);
      for (const [peer, count] of perPeer) peer.committed(count);
      // Replies queued after writes in this batch see the committed result.
      for (const work of rest) if (work.kind === 'reply') work.run();
    };
    // A batch's relays, acks and answers leave in one write per socket, not one per message. With
    // one update and no replies every socket gets one message: uncorked, the first leaves at once.
    const oneEach = (commit?.missed.length ?? 0) + (commit?.captured.length ?? 0) <= 1 && !rest.some((w) => w.kind === 'reply');
    if (oneEach) send();
    else this.#sendTogether(send);
    for (const o of outcomes) {
      if ('error' in o && o.error !== undefined) o.done.reject(o.error);
      else o.done.resolve(o.value);
    }
    if (this.#compactionDue()) await this.#compactSoon();
  }

  /**
   * Compacts once no write has come for `compactQuietMs` (each batch restarts the wait), or now
   * when it has been due for `compactMaxWaitMs`.
   */
  async #compactSoon(): Promise<void> {
    const now = performance.now();
    if (this.#compactDueSince === 0) this.#compactDueSince = now;
    if (now - this.#compactDueSince < this.#limits.compactMaxWaitMs) {
      if (this.#quietTimer) this.#quietTimer.refresh();
      else {
        this.#quietTimer = setTimeout(() => {
          // A batch running now restarts the wait when it ends.
          if (this.idle) void this.#compactNow();
        }, this.#limits.compactQuietMs);
        this.#quietTimer.unref();
      }
      return;
    }
    await this.#compactNow();
  }

  /** Between batches only. A failure leaves the log complete: compaction is due again after the next batch. */
  async #compactNow(): Promise<void> {
    this.#clearQuietTimer();
    try {
      await this.#compact();
    } catch (error) {
      this.#log.warn('compaction failed', { room: this.name, error: String(error) });
    }
  }

  #clearQuietTimer(): void {
    if (this.#quietTimer) clearTimeout(this.#quietTimer);
    this.#quietTimer = null;
    this.#compactDueSince = 0;
  }

  /** Applies a batch's peer updates and changes to the doc; returns what they changed, uncommitted. */
  #applyWrites(writes: readonly Work[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Captured[] {
    this.#captured = [];
    // Bytes this batch adds so far, counted incrementally (a batch may hold thousands of updates).
    let batchBytes = 0;
    let counted = 0;
    const captureSize = () => {
      for (; counted < this.#captured.length; counted++) batchBytes += this.#captured[counted]?.update.byteLength ?? 0;
      return batchBytes;
    };
    for (const work of writes) {
      if (work.kind === 'update') {
        this.#applyPeerUpdate(work, perPeer, this.#bytes + batchBytes);
        batchBytes = captureSize();
      } else if (work.kind === 'change') {
        if (!work.evenWhenFull && this.#bytes + batchBytes >= this.#cap()) {
          outcomes.push({ done: work.done, error: new RoomError(413, this.#capReason()) });
          continue;
        }
        const [outcome, changes] = this.#capture(() => {
          try {
            return { done: work.done, value: this.doc.transact(() => work.apply(this.doc), null) };
          } catch (error) {
            return { done: work.done, error };
          }
        });
        outcomes.push(outcome);
        this.#captured.push(...changes);
        batchBytes = captureSize();
      }
    }
    const captured = this.#captured;
    this.#captured = [];
    return captured;
  }

  /**
   * Encoding the snapshot costs as much as the document is big: waiting until the log is as big
   * keeps that cost proportional to what was written, and a load reads at most twice the document.
   */
  #compactionDue(): boolean {
    return this.#sinceSnapshot >= this.#limits.compactAfterUpdates && this.#bytes - this.#snapshotBytes >= this.#snapshotBytes;
  }

  /** Runs `send` with every peer's socket corked: what it sends leaves in one write per socket. */
  #sendTogether(send: () => void): void {
    const peers = [...this.peers];
    for (const peer of peers) peer.cork();
    try {
      send();
    } finally {
      for (const peer of peers) peer.uncork();
    }
  }

  /** The usual path: through the group-commit queue. Null when the room broke down. */
  async #commit(writes: readonly Work[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Promise<Commit | null> {
    const captured = this.#applyWrites(writes, perPeer, outcomes);
    if (captured.length === 0) return { missed: [], captured, seqs: [] };
    try {
      const seqs = await this.#storage.append(captured.map(({ update }) => ({ room: this.name, data: update })));
      return { missed: [], captured, seqs };
    } catch (error) {
      // The live doc is now ahead of storage: drop the room so it reloads from what is durable.
      this.#breakDown('commit failed', error, writes);
      return null;
    }
  }

  /**
   * With the room's head locked in the database: first what other processes committed and this
   * doc lacks, then this batch, which gets the seqs right after theirs.
   */
  async #commitExclusive(writes: readonly Work[], perPeer: Map<Peer, number>, outcomes: Outcome[]): Promise<Commit | null> {
    let missed: Captured[] = [];
    let head = this.#held.through;
    let captured: Captured[] = [];
    let seqs: number[];
    try {
      seqs = await this.#storage.appendExclusive(this.name, this.#held.through, (stored) => {
        head = stored.seq;
        missed = this.#applyCommitted(stored);
        captured = this.#applyWrites(writes, perPeer, outcomes);
        return captured.map(({ update }) => update);
      });
    } catch (error) {
      this.#breakDown('commit failed', error, writes);
      return null;
    }
    this.#markHeldThrough(head);
    return { missed, captured, seqs };
  }

  /** After a commit: counts, relays to this process's peers and to the other processes. */
  #committed({ missed, captured, seqs }: Commit): void {
    for (const { update } of missed) this.#broadcast(update, REMOTE);
    for (const { update } of captured) this.#addBytes(update.byteLength);
    this.#sinceSnapshot += captured.length;
    for (const seq of seqs) this.#markHeld(seq);
    for (const { update, origin } of captured) this.#broadcast(update, origin);
    if (seqs.length === 0) return;
    this.#link?.publish({
      kind: FanoutKind.updates,
      rows: publishedRows(seqs.map((seq, i) => ({ seq, data: captured[i]?.update as Uint8Array }))),
    });
  }

  /** Applies updates another process committed and published; true when some must be read from storage. */
  #applyRemote(rows: readonly PublishedRow[]): boolean {
    let missing = false;
    for (const { seq, data } of rows) {
      if (this.#held.has(seq)) continue; // e.g. read at load
      if (!data) {
        missing = true;
        continue;
      }
      try {
        if (this.#applyRaw(data, REMOTE)) this.#broadcast(data, REMOTE);
      } catch (error) {
        this.#log.error('update from another process does not apply; skipped', { room: this.name, error: String(error) });
      }
      this.#addBytes(data.byteLength);
      this.#sinceSnapshot++;
      this.#markHeld(seq);
    }
    return missing;
  }

  /** Reads from storage what was committed after what the doc holds; a failure leaves a later try to the gap timer. */
  async #catchUp(): Promise<void> {
    let stored: StoredDoc;
    try {
      stored = await this.#storage.load(this.name, this.#held.through);
    } catch (error) {
      this.#log.warn('catching up from storage failed; will retry', { room: this.name, error: String(error) });
      this.#armGapTimer(true);
      return;
    }
    const changes = this.#applyCommitted(stored);
    this.#sendTogether(() => {
      for (const { update } of changes) this.#broadcast(update, REMOTE);
    });
    this.#markHeldThrough(stored.seq);
  }

  /** Applies what storage returned; returns the changes it made to the doc. */
  #applyCommitted(stored: StoredDoc): Captured[] {
    const [, changes] = this.#capture(() =>
      applyStored(this.doc, stored, (error) =>
        this.#log.error('stored update does not apply; skipped', { room: this.name, error: String(error) }),
      ),
    );
    // A snapshot replaces the log before it, so the count restarts from what was read.
    if (stored.snapshot) {
      this.#addBytes(stored.bytes - this.#bytes);
      this.#sinceSnapshot = stored.updates.length;
      this.#snapshotBytes = stored.snapshot.byteLength;
    } else {
      this.#addBytes(stored.bytes);
      this.#sinceSnapshot += stored.updates.length;
    }
    return changes;
  }

  /** Runs `change` with the doc's updates captured (encoded by Yjs: for the server's own, rarer changes). */
  #capture<T>(change: () => T): [T, Captured[]] {
    const changes: Captured[] = [];
    const listener = (update: Uint8Array, origin: unknown) => changes.push({ update, origin });
    this.doc.on('update', listener);
    try {
      return [change(), changes];
    } finally {
      this.doc.off('update', listener);
    }
  }

  /**
   * Applies an update as received; true when it must be stored and relayed as these bytes: it
   * changed the doc, or Yjs kept parts of it aside until their dependencies arrive (acknowledging
   * it must stay truthful, and the peers need those parts too: the update that completes them
   * carries only itself). Duplicates and no-ops are neither stored nor relayed. Throws when malformed.
   */
  #applyRaw(update: Uint8Array, origin: unknown): boolean {
    const { store } = this.doc;
    const pendingBefore = [store.pendingStructs, store.pendingDs];
    this.#lastTransactionChanged = false;
    Y.applyUpdate(this.doc, update, origin);
    const setAside =
      (store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1]) && (store.pendingStructs || store.pendingDs);
    return this.#lastTransactionChanged || Boolean(setAside);
  }

  /** The doc now holds update `seq`. */
  #markHeld(seq: number): void {
    this.#held.add(seq);
    this.#armGapTimer(false);
  }

  /** The doc now holds every update up to `seq`. */
  #markHeldThrough(seq: number): void {
    this.#held.addThrough(seq);
    this.#armGapTimer(false);
  }

  /**
   * A hole below seqs the doc holds (another process's update not heard yet) is read from
   * storage if it is still open after a moment. `retry`: arm even without a hole.
   */
  #armGapTimer(retry: boolean): void {
    if (!this.#held.hasHole && !retry) {
      if (this.#gapTimer) clearTimeout(this.#gapTimer);
      this.#gapTimer = null;
      return;
    }
    if (this.#gapTimer || this.#destroyed) return;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = null;
      if (this.#held.hasHole || retry) this.catchUp();
    }, GAP_WAIT_MS);
    this.#gapTimer.unref();
  }

  /**
   * Applies a big update in slices (integrate-sliced.ts), yielding to the event loop between them:
   * a 10 MB update held the loop for a second in one piece. The room's queue waits meanwhile;
   * nothing reads the doc between its batches.
   * A malformed update, or one of more than `maxUpdateStructs` structures, is refused whole
   * before any of it is applied.
   */
  async #integrateSliced(work: Extract<Work, { kind: 'update' }>): Promise<void> {
    const { update, from } = work;
    if (this.#refusedPeers.has(from)) return;
    if (this.#bytes + update.byteLength > this.#cap()) return; // refused with the others in #applyPeerUpdate
    try {
      work.integrated = await integrateInSlices(this.doc, update, this.#limits.maxUpdateStructs, from);
    } catch (error) {
      // Anything but a refusal of the update itself happened while applying it: the room's own failure.
      if (!(error instanceof MalformedUpdate)) throw error;
      this.#refusedPeers.add(from);
      const tooBig = error.message.startsWith('more than');
      from.close(tooBig ? CloseCode.documentTooLarge : CloseCode.badMessage, tooBig ? error.message : 'malformed Yjs update');
    }
  }

  #applyPeerUpdate(work: Extract<Work, { kind: 'update' }>, perPeer: Map<Peer, number>, bytesSoFar: number): void {
    const { update, from } = work;
    // A peer refused earlier in this batch gets none of its later updates applied: they may build
    // on the refused one. (A peer that merely disconnected still gets its whole updates stored.)
    if (this.#refusedPeers.has(from)) return;
    if (work.integrated !== undefined) {
      perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
      if (work.integrated) this.#captured.push({ update, origin: from });
      return;
    }
    if (bytesSoFar + update.byteLength > this.#cap() && !onlyDeletes(update)) {
      this.#refusedPeers.add(from);
      from.close(CloseCode.documentTooLarge, this.#capReason());
      return;
    }
    let keep: boolean;
    try {
      keep = this.#applyRaw(update, from);
    } catch {
      this.#refusedPeers.add(from);
      from.close(CloseCode.badMessage, 'malformed Yjs update');
      return;
    }
    perPeer.set(from, (perPeer.get(from) ?? 0) + 1);
    if (keep) this.#captured.push({ update, origin: from });
  }

  #broadcast(update: Uint8Array, origin: unknown): void {
    const message = encodeSyncMessage(SyncStep.update, update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
  }

  /** Folds the update log into a snapshot when no batch is in flight (e.g. before unloading). */
  async compactWhenIdle(): Promise<void> {
    if (!this.idle) return;
    this.#clearQuietTimer();
    await this.#compact();
  }

  /**
   * Called only between batches, when the doc holds exactly what is stored; the snapshot is taken
   * at once. One compaction at a time: a call during another one waits for it instead.
   */
  #compact(): Promise<void> {
    if (this.#compacting) return this.#compacting;
    if (this.#sinceSnapshot === 0 || this.#broken) return Promise.resolve();
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const seq = this.#held.through;
    const counted = this.#sinceSnapshot;
    const bytesBefore = this.#bytes;
    this.#compacting = (async () => {
      try {
        await this.#storage.compact(this.name, snapshot, seq);
        // Updates appended meanwhile have higher seqs and stay in the log.
        this.#sinceSnapshot -= counted;
        this.#addBytes(snapshot.byteLength - bytesBefore);
        this.#snapshotBytes = snapshot.byteLength;
      } finally {
        this.#compacting = null;
      }
    })();
    return this.#compacting;
  }
}

/**
 * A small v1 update that adds nothing and only deletes (its first varUint, the number of clients
 * with new structs, is 0): it frees space, so the size cap lets it through.
 */
function onlyDeletes(update: Uint8Array): boolean {
  return update[0] === 0 && update.byteLength <= 64 * 1024;
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

/** A sync message in one exact-size allocation (the hot path: every relayed update is one). */
function encodeSyncMessage(step: SyncStep, payload: Uint8Array): Uint8Array {
  let lengthBytes = 1;
  for (let n = payload.byteLength; n > 0x7f; n >>>= 7) lengthBytes++;
  const message = new Uint8Array(2 + lengthBytes + payload.byteLength);
  message[0] = MessageType.sync;
  message[1] = step;
  let at = 2;
  let n = payload.byteLength;
  for (; n > 0x7f; n >>>= 7) message[at++] = 0x80 | (n & 0x7f);
  message[at++] = n;
  message.set(payload, at);
  return message;
}
