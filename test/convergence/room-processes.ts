/**
 * Real `Room`s as if in several server processes, on an in-memory database and fan-out whose
 * faults a seed decides: appends, loads and compactions that fail, fan-out messages lost,
 * duplicated, delayed, reordered or stripped of their data, a lost fan-out connection. Clients
 * are Y.Docs behind a socket that keeps order (TCP) and that the server or the client may close.
 * Nothing here waits for real time: the rooms run on a test clock, and everything else on the
 * event loop's turns, so a seed replays the same run.
 */

import type { Fanout, RoomLink } from '@randnoter/server/fanout/fanout';
import { decodeFanoutMessage, encodeFanoutMessage, FanoutKind } from '@randnoter/server/fanout/fanout-message';
import type { Logger } from '@randnoter/server/log';
import type { StoredDoc } from '@randnoter/server/storage/doc-store';
import { NextTurn } from '@randnoter/server/sync/next-turn';
import type { Peer } from '@randnoter/server/sync/peer';
import { Room, type RoomLimits, type RoomStorage } from '@randnoter/server/sync/room';
import type { TestClock } from '@randnoter/server/sync/test-clock';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import { decodeMessage, encodeSyncMessage } from '@randnoter/shared/protocol/wire';
import * as Y from 'yjs';

export type Random = () => number;

/** Lets the event loop run: rooms start their batches in a setImmediate (NextTurn). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTurn();
}

/** Faults, as probabilities; all 0 once the run settles. */
export interface Faults {
  append: number;
  load: number;
  compact: number;
  /** Fan-out messages lost, sent twice, or delivered without their updates' data. */
  lose: number;
  duplicate: number;
  stripData: number;
}

export const NO_FAULTS: Faults = { append: 0, load: 0, compact: 0, lose: 0, duplicate: 0, stripData: 0 };

interface StoredRoom {
  snapshot: { seq: number; data: Uint8Array } | null;
  log: Array<{ seq: number; data: Uint8Array }>;
  /** The highest seq given out. */
  head: number;
}

/**
 * The database: per room a gapless log with a head and at most one snapshot, as doc-store.ts
 * keeps them. Every call first waits 0-2 turns, so processes' commits interleave; what it does
 * then is atomic, like a transaction.
 */
export class MemoryStorage implements RoomStorage {
  faults: Faults = { ...NO_FAULTS };
  readonly #rooms = new Map<string, StoredRoom>();
  readonly #random: Random;
  /** What `now` last read, until the next write. */
  #now: StoredDoc | null = null;

  constructor(random: Random) {
    this.#random = random;
  }

  head(room: string): number {
    return this.#of(room).head;
  }

  /** The room as stored at this moment (one object until the next write, so checks can share its replay). */
  now(room: string): StoredDoc {
    this.#now ??= this.read(room);
    return this.#now;
  }

  /** The stored document, read whole: the truth every room and every ack is checked against. */
  read(room: string, after = 0): StoredDoc {
    const stored = this.#of(room);
    const snapshot = stored.snapshot && stored.snapshot.seq > after ? stored.snapshot : null;
    const from = snapshot?.seq ?? after;
    const rows = stored.log.filter((row) => row.seq > from);
    const updates = rows.map((row) => row.data);
    const bytes = (snapshot?.data.byteLength ?? 0) + updates.reduce((n, u) => n + u.byteLength, 0);
    return { snapshot: snapshot?.data ?? null, updates, seq: rows.at(-1)?.seq ?? from, bytes };
  }

  async load(room: string, after = 0): Promise<StoredDoc> {
    await this.#wait();
    if (this.#fails(this.faults.load)) throw new Error('injected: load failed');
    return this.read(room, after);
  }

  async append(rows: ReadonlyArray<{ room: string; data: Uint8Array }>): Promise<number[]> {
    await this.#wait();
    if (this.#fails(this.faults.append)) throw new Error('injected: append failed');
    return rows.map(({ room, data }) => this.#add(room, data));
  }

  async appendExclusive(room: string, after: number, build: (missed: StoredDoc) => Uint8Array[]): Promise<number[]> {
    await this.#wait();
    const stored = this.#of(room);
    const missed = stored.head > after ? this.read(room, after) : { snapshot: null, updates: [], seq: after, bytes: 0 };
    const updates = build({ ...missed, seq: stored.head });
    // After `build`: the room's doc already holds what is then not stored.
    if (this.#fails(this.faults.append)) throw new Error('injected: exclusive append failed');
    return updates.map((data) => this.#add(room, data));
  }

  async compact(room: string, snapshot: Uint8Array, seq: number): Promise<void> {
    await this.#wait();
    if (this.#fails(this.faults.compact)) throw new Error('injected: compaction failed');
    const stored = this.#of(room);
    this.#now = null;
    // A snapshot never replaces a newer one, whatever order two compactions commit in.
    if (!stored.snapshot || stored.snapshot.seq < seq) stored.snapshot = { seq, data: snapshot };
    stored.log = stored.log.filter((row) => row.seq > seq);
  }

  #add(room: string, data: Uint8Array): number {
    const stored = this.#of(room);
    this.#now = null;
    stored.head++;
    stored.log.push({ seq: stored.head, data });
    return stored.head;
  }

  #of(room: string): StoredRoom {
    let stored = this.#rooms.get(room);
    if (!stored) {
      stored = { snapshot: null, log: [], head: 0 };
      this.#rooms.set(room, stored);
    }
    return stored;
  }

  #fails(probability: number): boolean {
    return probability > 0 && this.#random() < probability;
  }

  #wait(): Promise<void> {
    return turns(Math.floor(this.#random() * 3));
  }
}

interface InFlight {
  to: number;
  room: string;
  bytes: Uint8Array;
}

/** The fan-out between the processes: what is published waits in flight until the run delivers it. */
export class Network {
  faults: Faults = { ...NO_FAULTS };
  readonly inFlight: InFlight[] = [];
  readonly #random: Random;
  readonly #listeners = new Map<string, (message: ReturnType<typeof decodeFanoutMessage>['message']) => void>();
  readonly #reconnectListeners = new Map<number, Array<() => void>>();
  readonly #processes: number;

  constructor(random: Random, processes: number) {
    this.#random = random;
    this.#processes = processes;
  }

  fanoutOf(process: number): Fanout {
    return {
      join: async (room, hear) => {
        const key = `${process} ${room}`;
        this.#listeners.set(key, hear);
        const link: RoomLink = {
          publish: (message) => this.#publish(process, room, message),
          close: () => {
            if (this.#listeners.get(key) === hear) this.#listeners.delete(key);
          },
        };
        return link;
      },
      onReconnect: (listener) => {
        const listeners = this.#reconnectListeners.get(process) ?? [];
        listeners.push(listener);
        this.#reconnectListeners.set(process, listeners);
      },
      close: async () => {},
    };
  }

  /** Delivers up to `count` messages in flight, picked at random (so in any order). */
  deliver(count: number): void {
    for (let i = 0; i < count && this.inFlight.length > 0; i++) {
      const [message] = this.inFlight.splice(Math.floor(this.#random() * this.inFlight.length), 1);
      if (message) this.#deliver(message);
    }
  }

  /** The process's connection dropped: what was on its way to it is gone; then it is back. */
  reconnect(process: number): void {
    for (let i = this.inFlight.length - 1; i >= 0; i--) if (this.inFlight[i]?.to === process) this.inFlight.splice(i, 1);
    for (const listener of this.#reconnectListeners.get(process) ?? []) listener();
  }

  #publish(from: number, room: string, message: Parameters<RoomLink['publish']>[0]): void {
    const bytes = encodeFanoutMessage(String(from), message);
    for (let to = 0; to < this.#processes; to++) {
      if (to === from || this.#random() < this.faults.lose) continue;
      this.inFlight.push({ to, room, bytes });
      if (this.#random() < this.faults.duplicate) this.inFlight.push({ to, room, bytes });
    }
  }

  #deliver({ to, room, bytes }: InFlight): void {
    const hear = this.#listeners.get(`${to} ${room}`);
    if (!hear) return; // not subscribed (the room is not loaded there): Redis drops it too
    const { message } = decodeFanoutMessage(bytes);
    if (message.kind === FanoutKind.updates && this.#random() < this.faults.stripData) {
      hear({ kind: FanoutKind.updates, rows: message.rows.map(({ seq }) => ({ seq, data: null })) });
    } else {
      hear(message);
    }
  }
}

/** Origin of what a client applies from the server (not sent back). */
const FROM_SERVER = Symbol('server');

/** A client's socket to one room: what the client sends waits in `outbox`, in order, until the run delivers it. */
export class ClientSocket implements Peer {
  readonly userId = 'u';
  readonly userName = 'U';
  readonly awarenessIds = new Set<number>();
  closed = false;
  /** Messages from the client, not yet received by the server. */
  readonly outbox: Uint8Array[] = [];
  /** Document updates the server received on this socket, in order, and how many it acknowledged. */
  readonly received: Uint8Array[] = [];
  acked = 0;
  readonly #client: Client;
  readonly room: Room;

  constructor(client: Client, room: Room) {
    this.#client = client;
    this.room = room;
  }

  /** Server → client: applied at once (the socket keeps order). */
  send(message: Uint8Array, onSent?: () => void): void {
    if (!this.closed) this.#client.hear(message, this);
    onSent?.();
  }

  answer(message: Uint8Array, onSent?: () => void): void {
    this.send(message, onSent);
  }

  spend(): void {}
  cork(): void {}
  uncork(): void {}

  claimAwarenessId(id: number): void {
    this.awarenessIds.add(id);
  }

  /** The server closed it (a storage failure, a reset). */
  close(): void {
    this.#client.disconnect();
  }

  /** The acknowledged updates must be stored by now. */
  committed(count: number): void {
    for (let i = this.acked; i < this.acked + count; i++) this.#client.observe('acknowledged', this.received[i] as Uint8Array);
    this.acked += count;
  }

  /** The server receives the next `count` messages the client sent. */
  flush(count: number): void {
    for (let i = 0; i < count && !this.closed && this.outbox.length > 0; i++) {
      const message = decodeMessage(this.outbox.shift() as Uint8Array);
      if (message.type !== MessageType.sync) continue;
      if (message.step === SyncStep.step1) {
        this.room.receiveStateVector(message.payload, this);
      } else {
        this.received.push(message.payload);
        this.room.receiveUpdate(message.payload, this);
      }
    }
  }
}

/** What a client was told (an ack) or shown (a relayed update, a sync answer), with what storage held at that moment. */
export interface Observed {
  what: 'acknowledged' | 'received';
  update: Uint8Array;
  stored: StoredDoc;
}

/** A y-websocket client, as far as the document goes: sync step 1 both ways on connect, then updates. */
export class Client {
  readonly doc = new Y.Doc();
  socket: ClientSocket | null = null;
  /** Everything a server acknowledged to this client or sent it, over all its sockets: all must have been stored first. */
  readonly observed: Observed[] = [];
  readonly #storedNow: () => StoredDoc;

  constructor(clientId: number, storedNow: () => StoredDoc) {
    this.#storedNow = storedNow;
    this.doc.clientID = clientId;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) this.socket?.outbox.push(encodeSyncMessage(SyncStep.update, update));
    });
  }

  connect(room: Room): void {
    const socket = new ClientSocket(this, room);
    this.socket = socket;
    room.join(socket);
    socket.outbox.push(encodeSyncMessage(SyncStep.step1, Y.encodeStateVector(this.doc)));
  }

  observe(what: Observed['what'], update: Uint8Array): void {
    this.observed.push({ what, update, stored: this.#storedNow() });
  }

  disconnect(): void {
    const { socket } = this;
    if (!socket || socket.closed) return;
    socket.closed = true;
    this.socket = null;
    socket.room.leave(socket);
  }

  hear(bytes: Uint8Array, socket: ClientSocket): void {
    const message = decodeMessage(bytes);
    if (message.type !== MessageType.sync) return;
    if (message.step === SyncStep.step1) {
      // What the server lacks, as y-websocket's client answers: sync step 2.
      socket.outbox.push(encodeSyncMessage(SyncStep.step2, Y.encodeStateAsUpdate(this.doc, message.payload)));
    } else {
      this.observe('received', message.payload);
      Y.applyUpdate(this.doc, message.payload, FROM_SERVER);
    }
  }

  /** One small random edit of a map, an array or a text. */
  edit(random: Random, step: number): void {
    const pick = random();
    const array = this.doc.getArray<number>('a');
    const text = this.doc.getText('t');
    if (pick < 0.35) this.doc.getMap('m').set(`k${Math.floor(random() * 6)}`, step);
    else if (pick < 0.55) array.insert(Math.floor(random() * (array.length + 1)), [step]);
    else if (pick < 0.65 && array.length > 0) array.delete(Math.floor(random() * array.length), 1);
    else if (pick < 0.85) text.insert(Math.floor(random() * (text.length + 1)), `${step} `);
    else if (text.length > 0) text.delete(Math.floor(random() * text.length), Math.min(3, text.length));
  }
}

export interface ProcessOptions {
  id: number;
  room: string;
  storage: MemoryStorage;
  network: Network;
  limits: RoomLimits;
  clock: TestClock;
  log: Logger;
}

/** One server process's hold on the room, as Rooms keeps it: loaded on use, reloaded once broken. */
export class ServerProcess {
  readonly #options: ProcessOptions;
  readonly #turn = new NextTurn();
  readonly #fanout: Fanout;
  room: Room | null = null;
  #loading: Promise<Room> | null = null;

  constructor(options: ProcessOptions) {
    this.#options = options;
    this.#fanout = options.network.fanoutOf(options.id);
    // As Rooms does: messages published while the connection was down are read from storage.
    this.#fanout.onReconnect(() => this.room?.catchUp());
  }

  /** The loaded room, loading it first (again, when it broke down); null when the load failed. */
  async use(): Promise<Room | null> {
    if (this.room?.broken) {
      this.room.destroy();
      this.room = null;
    }
    if (this.room) return this.room;
    const { room, storage, limits, clock, log } = this.#options;
    this.#loading ??= Room.load({ name: room, storage, limits, log, fanout: this.#fanout, turn: this.#turn, clock });
    try {
      this.room = await this.#loading;
      return this.room;
    } catch {
      return null;
    } finally {
      this.#loading = null;
    }
  }

  /** As Rooms.checkHeads: behind the database's head, read what is missing. */
  checkHead(): void {
    const { room } = this;
    if (room && !room.broken && this.#options.storage.head(room.name) > room.appliedSeq) room.catchUp();
  }

  /** As Rooms.sweep: an idle room with nobody in it is compacted and unloaded. */
  async unloadIfIdle(): Promise<void> {
    const { room } = this;
    if (!room || room.peerCount > 0 || !room.idle) return;
    await room.compactWhenIdle().catch(() => {});
    if (this.room === room && room.peerCount === 0 && room.idle) {
      room.destroy();
      this.room = null;
    }
  }
}

/** Whether two documents hold the same: applying either to the other changes nothing. */
export function sameState(a: Uint8Array, b: Uint8Array): boolean {
  return !changes(a, b) && !changes(b, a);
}

/** Whether applying `update` to the document `state` changes it, or leaves part of it waiting. */
function changes(state: Uint8Array, update: Uint8Array): boolean {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let changed = false;
  doc.on('update', () => {
    changed = true;
  });
  Y.applyUpdate(doc, update);
  const waiting = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  doc.destroy();
  return changed || waiting;
}

/** The id ranges of a document's structs (skips left out) and of its deletes, per client. */
export interface Holdings {
  structs: Map<number, Array<[number, number]>>;
  deletes: Map<number, Array<[number, number]>>;
}

/**
 * What a stored document holds, replayed: its structs, what Yjs sets aside on replay (stored all
 * the same), and its deletes, including those the replay itself makes (a map key set
 * concurrently twice deletes the loser, which no update lists).
 */
export function holdingsOf(stored: StoredDoc): Holdings {
  const doc = new Y.Doc();
  for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdate(doc); // set-aside structs and deletes included
  doc.destroy();
  return rangesOf(state);
}

/** Whether every struct and every delete of `update` is in `holdings`. */
export function holds(holdings: Holdings, update: Uint8Array): boolean {
  const wanted = rangesOf(update);
  const covered = (have: Map<number, Array<[number, number]>>, need: Map<number, Array<[number, number]>>) =>
    [...need].every(([client, ranges]) => ranges.every(([from, to]) => coveredBy(have.get(client) ?? [], from, to)));
  return covered(holdings.structs, wanted.structs) && covered(holdings.deletes, wanted.deletes);
}

function rangesOf(update: Uint8Array): Holdings {
  const { structs, ds } = Y.decodeUpdate(update);
  const holdings: Holdings = { structs: new Map(), deletes: new Map() };
  const add = (map: Map<number, Array<[number, number]>>, client: number, from: number, length: number) => {
    const ranges = map.get(client) ?? [];
    ranges.push([from, from + length]);
    map.set(client, ranges);
  };
  for (const struct of structs) if (!(struct instanceof Y.Skip)) add(holdings.structs, struct.id.client, struct.id.clock, struct.length);
  for (const [client, items] of ds.clients) for (const { clock, len } of items) add(holdings.deletes, client, clock, len);
  return holdings;
}

/** Whether the ranges together cover [from, to). */
function coveredBy(ranges: ReadonlyArray<[number, number]>, from: number, to: number): boolean {
  let reached = from;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start > reached) break;
    reached = Math.max(reached, end);
    if (reached >= to) return true;
  }
  return reached >= to;
}

/** What a document holds, for a readable failure. */
export function contentOf(state: Uint8Array): unknown {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const content = {
    m: doc.getMap('m').toJSON(),
    a: doc.getArray('a').toJSON(),
    t: doc.getText('t').toString(),
    s: doc.getMap('s').toJSON(),
  };
  doc.destroy();
  return content;
}
