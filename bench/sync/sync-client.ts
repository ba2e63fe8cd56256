/**
 * A real Yjs sync client for the load generator: a `ws` socket and a Y.Doc, speaking the sync
 * protocol through a server's framing (framing.ts). Like y-websocket's provider it sends sync
 * step 1 on open, answers the server's step 1 with step 2, and applies what it receives (unless
 * told to only write, which saves the load generator's CPU for the server).

 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { ANNOTATIONS, addComment } from './comments.ts';
import { type Framing, type Incoming, SyncStep } from './framing.ts';

const REMOTE = Symbol('remote');

export interface ClientOptions {
  url: string;
  room: string;
  token: string;
  framing: Framing;
  /** Apply updates received from the server to `doc` (observers, counts). False for pure writers. */
  applyRemote: boolean;
  /** Source address in 127.0.0.0/8, to spread many sockets over more ephemeral port ranges. */
  localAddress?: string;
  /** Called for every update the server relays (sync update messages), as it arrives. */
  onRelayed?: (payload: Uint8Array, arrivedAt: number) => void;
}

export class SyncClient {
  readonly doc: Y.Doc;
  readonly annotations: Y.Map<unknown>;
  /** Document updates this client has sent (sync step 2 and update messages: what servers ack). */
  sent = 0;
  /** Updates the server has acknowledged (ack modes `ack` and `sync-status`). */
  acked = 0;
  /** Comments in `doc`, kept by an observer (Y.Map#size walks the whole map). */
  comments = 0;
  /** performance.now() when the frame being applied arrived; read it from a doc observer. */
  arrivedAt = 0;
  readonly opened: Promise<void>;
  /** Resolves when the server's sync step 2 (the full state this client lacked) is applied. */
  readonly synced: Promise<void>;
  readonly closed: Promise<number>;
  #ws: WebSocket;
  /** The TCP socket under the WebSocket, once upgraded: terminate() resets it. */
  #socket: Socket | null = null;
  #options: ClientOptions;
  #syncedResolve!: () => void;
  #ackListeners = new Set<() => void>();
  #stepTwoListeners: Array<() => void> = [];
  #isOpen = false;

  constructor(options: ClientOptions) {
    this.#options = options;
    // A guid of our own: Yjs would draw a random one, 31 getRandomValues calls, which made up a
    // sixth of the load generator's CPU while opening 19,800 clients.
    this.doc = new Y.Doc({ guid: options.room });
    this.annotations = this.doc.getMap<unknown>(ANNOTATIONS);
    this.#ws = new WebSocket(options.url, {
      perMessageDeflate: false,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    this.#ws.binaryType = 'nodebuffer';
    this.#ws.once('upgrade', (response) => {
      this.#socket = response.socket as Socket;
    });
    this.synced = new Promise((resolve) => {
      this.#syncedResolve = resolve;
    });
    this.opened = new Promise((resolve, reject) => {
      this.#ws.once('open', () => {
        this.#isOpen = true;
        for (const frame of options.framing.hello(options.room, options.token)) this.#ws.send(frame);
        this.#ws.send(options.framing.sync(options.room, SyncStep.step1, Y.encodeStateVector(this.doc)));
        resolve();
      });
      this.#ws.once('error', reject);
      this.#ws.once('close', (code) => reject(new Error(`closed with ${code} before open`)));
    });
    this.closed = new Promise((resolve) => this.#ws.once('close', (code) => resolve(code)));
    this.annotations.observe((event) => {
      for (const change of event.changes.keys.values()) {
        if (change.action === 'add') this.comments++;
        else if (change.action === 'delete') this.comments--;
      }
    });
    this.opened.catch(() => {}); // callers that only await `synced` learn about failures from `closed`
    this.#ws.on('error', () => {}); // reported through `opened`/`closed`
    this.#ws.on('message', (data: Buffer) => this.#receive(data));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.#isOpen) return;
      this.sendUpdate(update);
    });
  }

  /** Sends update bytes made elsewhere (pre-generated comments) without touching `doc`. */
  sendUpdate(update: Uint8Array): void {
    this.sent++;
    this.#ws.send(this.#options.framing.sync(this.#options.room, SyncStep.update, update));
  }

  /**
   * Resolves when the server answers a new sync step 1. Servers handle a socket's frames in order,
   * so everything this client sent before has been applied by then (on Randnoter: committed).
   */
  roundTrip(): Promise<void> {
    const answered = new Promise<void>((resolve) => this.#stepTwoListeners.push(resolve));
    this.#ws.send(this.#options.framing.sync(this.#options.room, SyncStep.step1, Y.encodeStateVector(this.doc)));
    return answered;
  }

  get open(): boolean {
    return this.#isOpen && this.#ws.readyState === WebSocket.OPEN;
  }

  /** Bytes queued in the socket but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  /** Writes one comment (one update on the wire). */
  writeComment(id: string, author: string, page: number): void {
    addComment(this.doc, id, author, page);
  }

  /** Resolves once `doc` holds at least `count` comments (checked after every applied update). */
  whenComments(count: number): Promise<void> {
    if (this.comments >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.comments < count) return;
        this.doc.off('afterTransaction', check);
        resolve();
      };
      this.doc.on('afterTransaction', check);
    });
  }

  /** Resolves once the server has acknowledged everything this client sent so far. */
  whenAllAcked(): Promise<void> {
    const target = this.sent;
    if (this.acked >= target) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onAck(() => {
        if (this.acked < target) return;
        off();
        resolve();
      });
    });
  }

  /** Called after every acknowledgement; returns the unsubscribe function. */
  onAck(listener: () => void): () => void {
    this.#ackListeners.add(listener);
    return () => this.#ackListeners.delete(listener);
  }

  close(): void {
    this.#ws.close();
  }

  /**
   * Drops the connection with a TCP reset. A plain close would leave this side's port in
   * TIME_WAIT for a minute, and tens of thousands of those slow down the kernel's search for a
   * free port for whichever server's scenario opens its sockets next.
   */
  terminate(): void {
    // Not once the socket has been ended (a close handshake, or a server that went away): libuv
    // refuses to reset a socket after its shutdown, and Node then leaves the handle open, which
    // kept the load generator spinning at exit after the SIGKILL scenario.
    if (this.#socket && !this.#socket.destroyed && !this.#socket.writableEnded) this.#socket.resetAndDestroy();
    else this.#ws.terminate();
  }

  #receive(data: Buffer): void {
    const arrivedAt = performance.now();
    let message: Incoming;
    try {
      message = this.#options.framing.read(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch {
      return;
    }
    if (message.kind === 'ack' || message.kind === 'ack-one') {
      this.acked = message.kind === 'ack' ? Math.max(this.acked, message.total) : this.acked + 1;
      for (const listener of this.#ackListeners) listener();
      return;
    }
    if (message.kind !== 'sync') return;
    const { framing, room } = this.#options;
    if (message.step === SyncStep.step1) {
      this.sent++;
      this.#ws.send(framing.sync(room, SyncStep.step2, Y.encodeStateAsUpdate(this.doc, message.payload)));
      return;
    }
    if (message.step === SyncStep.update) this.#options.onRelayed?.(message.payload, arrivedAt);
    if (this.#options.applyRemote || message.step === SyncStep.step2) {
      this.arrivedAt = arrivedAt;
      Y.applyUpdate(this.doc, message.payload, REMOTE);
    }
    if (message.step === SyncStep.step2) {
      this.#syncedResolve();
      for (const listener of this.#stepTwoListeners.splice(0)) listener();
    }
  }
}
