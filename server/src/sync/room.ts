/**
 * One loaded Y.Doc and the peers connected to it: what the rest of the server calls; its parts
 * (room-parts.ts) do the work. Write before relay: a batch of writes is committed to storage
 * before any of it is broadcast, acknowledged or answered, and everything that reveals the
 * document (sync step 1 and 2, HTTP reads) runs only between batches, so nothing anyone ever
 * receives is uncommitted. docs/ARCHITECTURE.md, "The sync layer", has the whole argument.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import { encodeSyncMessage } from '@randnoter/shared/protocol/wire';
import * as Y from 'yjs';
import type { RoomLink } from '../fanout/fanout.ts';
import { FanoutKind, type RoomMessage } from '../fanout/fanout-message.ts';
import type { Logger } from '../log.ts';
import { Refusal, RefusalKind } from '../refusal.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import type { CatchUp } from './catch-up.ts';
import { type Clock, realClock } from './clock.ts';
import type { Compaction } from './compaction.ts';
import type { LiveDoc } from './live-doc.ts';
import type { Peer } from './peer.ts';
import type { RoomOptions } from './room-options.ts';
import { assembleRoom } from './room-parts.ts';
import type { RoomPresence } from './room-presence.ts';
import type { RoomSize } from './room-size.ts';
import { refuseWork, type Work, type WorkQueue } from './work-queue.ts';

export type { RoomLimits, RoomOptions, RoomStorage } from './room-options.ts';

/** How long a room loaded from a snapshot alone waits for a first client's sync step 1 before building its doc. */
const PRISTINE_BUILD_WAIT_MS = 50;

export class Room {
  readonly name: string;
  readonly presence: RoomPresence;
  readonly #live: LiveDoc;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #link: RoomLink | null;
  readonly #size: RoomSize;
  readonly #catchUp: CatchUp;
  readonly #compaction: Compaction;
  readonly #queue: WorkQueue;
  #lastActive: number;
  #broken = false;
  /** Being emptied by an administrator: no more work is taken (see reset). */
  #resetting = false;
  #destroyed = false;

  private constructor(options: RoomOptions, stored: StoredDoc, link: RoomLink | null) {
    const { name, log, clock = realClock } = options;
    this.name = name;
    this.#log = log;
    this.#clock = clock;
    this.#link = link;
    this.#lastActive = clock.now();
    const parts = assembleRoom({ ...options, clock }, stored, link, {
      catchUp: () => this.catchUp(),
      idle: () => this.idle,
      broken: () => this.#broken,
      breakDown: (what, error, inFlight) => this.#breakDown(what, error, inFlight),
    });
    this.#live = parts.live;
    this.presence = parts.presence;
    this.#size = parts.size;
    this.#catchUp = parts.catchUp;
    this.#compaction = parts.compaction;
    this.#queue = parts.queue;
  }

  /**
   * Reads the room from storage. The doc is built from it as the first queued work, so whatever
   * is queued sees it built, and a fresh client can be answered from the snapshot before that.
   * With a fan-out, the room hears other processes from before its load on, so it misses nothing.
   */
  static async load(options: RoomOptions): Promise<Room> {
    const { name, storage, log, fanout } = options;
    let room: Room | null = null;
    /** What other processes said while the room loaded: heard once it exists, after its build. */
    const early: RoomMessage[] = [];
    let link: RoomLink | null = null;
    let stored: StoredDoc;
    try {
      if (fanout) link = await fanout.join(name, (message) => (room ? room.#hear(message) : early.push(message)));
      stored = await storage.load(name);
    } catch (error) {
      link?.close();
      throw error;
    }
    const loaded = new Room(options, stored, link);
    room = loaded;
    const skipped = (error: unknown) => log.error('stored update does not apply; skipped', { room: name, error: String(error) });
    loaded.#queue.push({ kind: 'build', run: () => loaded.#live.applyStored(stored, skipped) });
    for (const message of early) loaded.#hear(message);
    if (stored.snapshot && stored.updates.length === 0 && loaded.#queue.onlyReads) {
      loaded.#live.pristineState = stored.snapshot;
      // Building the doc blocks the event loop (for a big room, hundreds of ms). It waits for the
      // first client's sync step 1, answered from the snapshot, or any other work, or a moment.
      loaded.#queue.begin(PRISTINE_BUILD_WAIT_MS);
    } else {
      loaded.#queue.begin();
    }
    link?.publish({ kind: FanoutKind.awarenessQuery });
    return loaded;
  }

  /** The doc holds every update with a seq up to this one. */
  get appliedSeq(): number {
    return this.#catchUp.through;
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
    return this.#queue.idle;
  }

  get storedBytes(): number {
    return this.#size.bytes;
  }

  get peerCount(): number {
    return this.#live.peers.size;
  }

  /** When the room was last used by a peer or a request (the clock's time). */
  get lastActive(): number {
    return this.#lastActive;
  }

  /** Resolves when the queue is empty (everything accepted so far is committed). */
  drained(): Promise<void> {
    return this.#queue.drained();
  }

  /** Marks the room as in use now, so an idle sweep running concurrently does not unload it. */
  touch(): void {
    this.#lastActive = this.#clock.now();
  }

  /** Reads what other processes committed that this doc lacks (after a lost connection, say). */
  catchUp(): void {
    // A broken room reloads from storage anyway; queued work would only keep it in memory.
    if (!this.#destroyed && !this.#broken) this.#enqueue({ kind: 'catchUp' });
  }

  join(peer: Peer): void {
    this.#live.peers.add(peer);
    this.touch();
    this.presence.sendTo(peer);
    // Even the state vector waits for the writes before it: a client must not be told we hold
    // something that a crash could still take away. (Queued without starting a held-back build:
    // the peer's own sync step 1 comes next.)
    const run = () => peer.send(encodeSyncMessage(SyncStep.step1, Y.encodeStateVector(this.#live.doc)));
    this.#enqueue({ kind: 'reveal', run }, { deferrable: true });
  }

  leave(peer: Peer): void {
    if (!this.#live.peers.delete(peer)) return;
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
    const pristine = this.#live.pristineState;
    if (pristine && this.#queue.onlyReads && Y.decodeStateVector(stateVector).size === 0) {
      // Nothing to wait for: no write is queued, and the snapshot is all the room holds. A build
      // still held back waits until these bytes are out: it would block their sending.
      this.#queue.stopHoldTimer();
      from.answer(encodeSyncMessage(SyncStep.step2, pristine), () => {
        this.#queue.startHeld();
        onSent?.();
      });
      return;
    }
    this.#enqueue({ kind: 'reveal', run: () => from.answer(this.#live.syncAnswer(stateVector), onSent), fail: () => onSent?.() });
  }

  /**
   * A server-side change (an intent in a shared room). `apply` runs against the live doc and may
   * throw a Refusal to refuse; the promise resolves with its result once the change is committed.
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
    const run = () => {
      try {
        done.resolve(query(this.#live.doc));
      } catch (error) {
        done.reject(error);
      }
    };
    this.#enqueue({ kind: 'reveal', run, fail: (error) => done.reject(error) });
    return done.promise;
  }

  /** Folds the update log into a snapshot when no batch is in flight (e.g. before unloading). */
  async compactWhenIdle(): Promise<void> {
    if (this.idle) await this.#compaction.whenIdle();
  }

  /**
   * Holds the room still for a rewrite of its storage (Rooms.rewrite): once what was accepted is
   * committed and no compaction runs, no more work is taken. `dropAfterRewrite` ends it.
   */
  async quiesce(): Promise<void> {
    const unavailable = this.#unavailable();
    if (unavailable) throw unavailable;
    this.#resetting = true;
    this.#queue.startHeld();
    await this.drained();
    await this.#compaction.running;
  }

  /**
   * Storage was rewritten under the quiesced room (or was to be): the other processes drop their
   * copies, and so does this one; its peers are closed with 1012 and reconnect to the stored room.
   */
  dropAfterRewrite(): void {
    this.#link?.publish({ kind: FanoutKind.reset });
    this.#dropAfterReset('room rewritten: its storage was replaced');
  }

  destroy(): void {
    this.#destroyed = true;
    this.#queue.startHeld(); // the run finds an empty queue
    this.#link?.close();
    this.#catchUp.destroy();
    this.#compaction.destroy();
    this.#failQueued(unavailable('room unloaded, try again'));
    this.presence.destroy();
    this.#live.destroy();
  }

  #unavailable(): Refusal | null {
    if (this.#resetting) return unavailable('room being reset, try again');
    if (this.#broken) return unavailable('room unavailable, try again');
    if (this.#destroyed) return unavailable('room unloaded, try again');
    return null;
  }

  #enqueue(work: Work, { deferrable = false } = {}): void {
    // An unloaded room's doc is gone: what reached it late is neither applied nor acknowledged.
    if (this.#resetting || this.#destroyed) {
      refuseWork(work, unavailable(this.#destroyed ? 'room unloaded, try again' : 'room being reset, try again'));
      return;
    }
    // Other processes' writes do not keep a room without peers in memory.
    if (work.kind !== 'remote' && work.kind !== 'catchUp') this.touch();
    this.#queue.push(work, { deferrable });
  }

  /** A message from another process that has this room loaded. */
  #hear(message: RoomMessage): void {
    if (this.#destroyed || this.#broken) return;
    if (message.kind === FanoutKind.updates) this.#enqueue({ kind: 'remote', rows: message.rows });
    else if (message.kind === FanoutKind.reset) this.#dropAfterReset();
    else this.presence.hear(message);
  }

  #breakDown(what: string, error: unknown, inFlight: readonly Work[]): void {
    this.#broken = true;
    this.#log.error(`${what}; room dropped`, { room: this.name, error: String(error) });
    for (const peer of this.#live.peers) peer.close(CloseCode.internalError, 'storage failure');
    const refusal = unavailable('could not store the change, try again');
    for (const work of inFlight) refuseWork(work, refusal);
    this.#failQueued(refusal);
  }

  #dropAfterReset(why = 'room reset by an administrator'): void {
    this.#broken = true; // the rooms that hold it load it again from storage
    this.#log.info(why, { room: this.name });
    for (const peer of [...this.#live.peers]) peer.close(CloseCode.serviceRestart, 'room reset');
    this.#failQueued(unavailable('room reset, try again'));
  }

  #failQueued(refusal: Refusal): void {
    for (const work of this.#queue.takeAll()) refuseWork(work, refusal);
  }
}

const unavailable = (message: string) => new Refusal(RefusalKind.unavailable, message);
