/**
 * One WebSocket peer in one room: decodes y-websocket frames, hands writes to the room, applies
 * flow control (see flow-control.ts) and sends acks.
 *
 * What a peer asks for is answered one at a time and only while it reads: a sync step 1 or a
 * presence query gets its answer once the socket's buffer is nearly empty and the user's share
 * allows (user-share.ts); requests that arrive meanwhile are merged into the next answer (the
 * latest state vector; one presence answer covers every query before it). The peer's own presence
 * updates wait the same way, the latest replacing the one held.
 *
 * A server holds tens of thousands of these, so a connection keeps only what differs between
 * connections: limits and callbacks are one ConnectionSettings object per endpoint.
 */

import type { Duplex } from 'node:stream';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import { decodeMessage, encodeAck } from '@randnoter/shared/protocol/wire';
import * as Y from 'yjs';
import { PauseReason, ReadGate, TokenBucket } from './flow-control.ts';
import type { Peer } from './peer.ts';
import type { Room } from './room.ts';
import type { ShareMember, UserShare } from './user-share.ts';
import { frameOf } from './ws-frame.ts';

/** The part of a `ws` WebSocket a connection uses: its state, closing and reading. */
export interface SocketLike {
  readonly readyState: number;
  close(code: number, reason: string): void;
  pause(): void;
  resume(): void;
}

/**
 * The byte stream under the WebSocket. Messages are written to it as frames of their own (see
 * ws-frame.ts), between `ws`'s own frames (pings, the close frame); corked, several frames
 * leave in one write.
 */
export type ByteStream = Pick<Duplex, 'cork' | 'uncork' | 'write' | 'writableLength' | 'once'>;

/** Shared by every connection of an endpoint. */
export interface ConnectionSettings {
  /** Stop reading once this many bytes of updates wait for their commit, or wait to be sent. */
  maxPendingBytes: number;
  /** Close a socket that lets this many bytes pile up unsent. */
  maxSendBufferBytes: number;
  messagesPerSecond: number;
  messageBurst: number;
  /** Close a socket that stays over its message rate this long despite being slowed down. */
  floodCloseMs: number;
  now: () => number;
  /** Told about every socket the server closes, and every pause, for /metrics. */
  onClose(connection: Connection, code: number): void;
  onPause(reason: PauseReason): void;
  onUpdateReceived(): void;
}

/** What differs between connections besides their user and room. */
export interface ConnectionMode {
  /** Shared rooms: the server is their only writer; a client's Yjs writes are dropped. */
  readOnly: boolean;
  /** Acknowledge committed updates with `[100, n]`. */
  ack: boolean;
}

const OPEN = 1;
const NO_IDS: ReadonlySet<number> = new Set();

/** An answer waits until at most this much is still unsent to the socket. */
const WRITABLE_MARK = 256 * 1024;

export class Connection implements Peer, ShareMember {
  readonly userId: string;
  readonly userName: string;
  readonly #socket: SocketLike;
  readonly #stream: ByteStream;
  readonly #room: Room;
  readonly #options: ConnectionSettings;
  readonly #mode: ConnectionMode;
  readonly #gate: ReadGate;
  readonly #rate: TokenBucket;
  readonly #share: UserShare;
  /** Unsent bytes at this socket's last send, as the user's share counts them. */
  #lastUnsent = 0;
  /** The latest sync step 1 not answered yet, and whether an answer is on its way. */
  #syncRequest: Uint8Array | null = null;
  #syncInFlight = false;
  #presenceQueryInFlight = false;
  /** The peer's latest presence update, held while the socket or the user's share must wait. */
  #heldPresence: Uint8Array | null = null;
  /** Waits for the user's share (made at the first: most connections never wait). */
  #waits: Set<NodeJS.Timeout> | null = null;
  /** Made at the first presence: most connections of a big server never need one. */
  #awarenessIds: Set<number> | null = null;
  #pending: number[] = [];
  #pendingBytes = 0;
  #acked = 0;
  /** When the socket first ran out of message tokens without having calmed down since. */
  #throttledSince: number | null = null;
  #rateTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    socket: SocketLike,
    stream: ByteStream,
    user: { id: string; name: string },
    room: Room,
    mode: ConnectionMode,
    settings: ConnectionSettings,
    share: UserShare,
  ) {
    this.#socket = socket;
    this.#share = share;
    this.#stream = stream;
    this.userId = user.id;
    this.userName = user.name;
    this.#room = room;
    this.#mode = mode;
    this.#options = settings;
    this.#gate = new ReadGate(socket, settings.onPause);
    this.#rate = new TokenBucket(settings.messagesPerSecond, settings.messageBurst, settings.now);
  }

  get awarenessIds(): ReadonlySet<number> {
    return this.#awarenessIds ?? NO_IDS;
  }

  claimAwarenessId(id: number): void {
    this.#awarenessIds ??= new Set();
    this.#awarenessIds.add(id);
  }

  cork(): void {
    this.#stream.cork();
  }

  uncork(): void {
    this.#stream.uncork();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get room(): Room {
    return this.#room;
  }

  send(message: Uint8Array, onSent?: () => void): void {
    if (this.#closed || this.#socket.readyState !== OPEN) {
      onSent?.();
      return;
    }
    const frame = frameOf(message);
    const underMark = onSent ? this.#stream.write(frame, () => onSent()) : this.#stream.write(frame);
    const unsent = this.#stream.writableLength;
    this.#share.noteUnsent(unsent - this.#lastUnsent);
    this.#lastUnsent = unsent;
    if (this.#closed) return; // the user's share closed it
    if (unsent > this.#options.maxSendBufferBytes) {
      this.close(CloseCode.rateLimited, 'too much unread data: the client does not read');
    } else if (!underMark && unsent > this.#options.maxPendingBytes && !this.#gate.has(PauseReason.outbound)) {
      // A client that asks for more than it reads (sync step 1 over and over) is not read until
      // it has read everything. Over the stream's high-water mark, so 'drain' comes once it has.
      this.#gate.hold(PauseReason.outbound);
      this.#stream.once('drain', () => this.#gate.release(PauseReason.outbound));
    }
  }

  /** An answer to this peer's own request: it counts against the user's share. */
  answer(message: Uint8Array, onSent?: () => void): void {
    this.#share.spend(message.byteLength);
    this.send(message, onSent);
  }

  /** The server sent `bytes` to others on this peer's behalf (its presence, relayed). */
  spend(bytes: number): void {
    this.#share.spend(bytes);
  }

  recountUnsent(): number {
    this.#lastUnsent = this.#closed ? 0 : this.#stream.writableLength;
    return this.#lastUnsent;
  }

  closeForUnsent(): void {
    this.close(CloseCode.rateLimited, 'too much unread data for one user: the client does not read');
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#end();
    this.#options.onClose(this, code);
    if (this.#socket.readyState === OPEN) this.#socket.close(code, reason);
  }

  /** The socket closed from the other side. */
  closedByPeer(): void {
    if (!this.#closed) this.#end();
  }

  #end(): void {
    this.#closed = true;
    this.#stopTimers();
    this.#share.leave(this, this.#lastUnsent);
    this.#room.leave(this);
  }

  committed(count: number): void {
    for (const bytes of this.#pending.splice(0, count)) this.#pendingBytes -= bytes;
    this.#acked += count;
    if (this.#gate.has(PauseReason.pending) && this.#pendingBytes <= this.#options.maxPendingBytes / 2) {
      this.#gate.release(PauseReason.pending);
    }
    if (this.#mode.ack) this.send(encodeAck(this.#acked));
  }

  /** Handles one binary frame; any malformed content closes this socket only. */
  receive(frame: Uint8Array): void {
    if (this.#closed) return;
    if (!this.#admit()) return;
    try {
      const message = decodeMessage(frame);
      switch (message.type) {
        case MessageType.sync:
          this.#receiveSync(message.step, message.payload);
          break;
        case MessageType.awareness:
          this.#receivePresence(message.update);
          break;
        case MessageType.queryAwareness:
          this.#queryPresence();
          break;
        default:
          // An auth message after authenticating, an ack: the server's to send, or once only.
          throw new Error(`unexpected message type ${message.type}`);
      }
    } catch (error) {
      this.close(CloseCode.badMessage, `malformed message: ${error instanceof Error ? error.message : 'unreadable'}`.slice(0, 120));
    }
  }

  /**
   * Message rate: over the rate, the socket is not read until tokens are back; a sender that is
   * still over the rate after `floodCloseMs` of that is closed. False when closed.
   */
  #admit(): boolean {
    const now = this.#options.now();
    if (this.#rate.full) this.#throttledSince = null;
    if (this.#rate.take()) return true;
    this.#throttledSince ??= now;
    if (now - this.#throttledSince >= this.#options.floodCloseMs) {
      this.close(CloseCode.rateLimited, 'too many messages');
      return false;
    }
    if (!this.#gate.has(PauseReason.rate)) {
      this.#gate.hold(PauseReason.rate);
      const resumeAt = Math.max(1, Math.min(this.#options.messageBurst, this.#options.messagesPerSecond / 10));
      this.#rateTimer = setTimeout(() => {
        this.#rateTimer = null;
        this.#gate.release(PauseReason.rate);
      }, this.#rate.msUntil(resumeAt));
    }
    return true;
  }

  #stopTimers(): void {
    if (this.#rateTimer) clearTimeout(this.#rateTimer);
    this.#rateTimer = null;
    for (const wait of this.#waits ?? []) clearTimeout(wait);
    this.#waits = null;
  }

  /** Runs `run` once the socket has (nearly) nothing unsent and the user's share allows. */
  #whenReady(run: () => void): void {
    if (this.#closed) return;
    if (this.#stream.writableLength > WRITABLE_MARK) {
      // Above the stream's high-water mark, so 'drain' comes once it is empty.
      this.#stream.once('drain', () => this.#whenReady(run));
    } else if (!this.#share.allowed) {
      this.#waits ??= new Set();
      const wait = setTimeout(() => {
        this.#waits?.delete(wait);
        this.#whenReady(run);
      }, this.#share.msUntilAllowed());
      this.#waits.add(wait);
    } else {
      run();
    }
  }

  #requestSync(stateVector: Uint8Array): void {
    this.#syncRequest = stateVector;
    if (this.#syncInFlight) return;
    this.#syncInFlight = true;
    this.#whenReady(() => {
      const latest = this.#syncRequest;
      this.#syncRequest = null;
      if (!latest) {
        this.#syncInFlight = false;
        return;
      }
      this.#room.receiveStateVector(latest, this, () => {
        this.#syncInFlight = false;
        if (this.#syncRequest && !this.#closed) this.#requestSync(this.#syncRequest);
      });
    });
  }

  #queryPresence(): void {
    if (this.#presenceQueryInFlight) return; // the answer on its way holds every state
    this.#presenceQueryInFlight = true;
    this.#whenReady(() =>
      this.#room.presence.sendTo(this, () => {
        this.#presenceQueryInFlight = false;
      }),
    );
  }

  #receivePresence(update: Uint8Array): void {
    if (this.#heldPresence === null && this.#share.allowed) {
      this.#room.presence.receive(update, this);
      return;
    }
    const waiting = this.#heldPresence !== null;
    this.#heldPresence = update;
    if (waiting) return;
    this.#whenReady(() => {
      const held = this.#heldPresence;
      this.#heldPresence = null;
      if (!held) return;
      try {
        this.#room.presence.receive(held, this);
      } catch (error) {
        this.close(CloseCode.badMessage, `malformed message: ${error instanceof Error ? error.message : 'unreadable'}`.slice(0, 120));
      }
    });
  }

  #receiveSync(step: SyncStep, payload: Uint8Array): void {
    if (step === SyncStep.step1) {
      Y.decodeStateVector(payload); // throws on garbage before anything is queued
      this.#requestSync(payload);
      return;
    }
    // Shared rooms have one writer, the server (intents); a client's Yjs writes are dropped unstored.
    if (this.#mode.readOnly) return;
    this.#options.onUpdateReceived();
    this.#pending.push(payload.byteLength);
    this.#pendingBytes += payload.byteLength;
    this.#room.receiveUpdate(payload, this);
    if (this.#pendingBytes > this.#options.maxPendingBytes) this.#gate.hold(PauseReason.pending);
  }
}
