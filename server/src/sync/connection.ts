/**
 * One WebSocket peer in one room: decodes y-websocket frames, hands writes to the room, applies
 * backpressure (stops reading while too much of its input awaits commit) and sends acks.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Peer, Room } from './room.ts';

/** The part of a `ws` WebSocket a connection uses; tests may pass a literal. */
export interface SocketLike {
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  pause(): void;
  resume(): void;
}

export interface ConnectionOptions {
  readOnly: boolean;
  ack: boolean;
  /** Stop reading once this many bytes of updates wait for their commit. */
  maxPendingBytes: number;
}

const OPEN = 1;

export class Connection implements Peer {
  readonly userId: string;
  readonly userName: string;
  readonly awarenessIds = new Set<number>();
  readonly #socket: SocketLike;
  readonly #room: Room;
  readonly #options: ConnectionOptions;
  #pending: number[] = [];
  #pendingBytes = 0;
  #acked = 0;
  #paused = false;
  #closed = false;

  constructor(socket: SocketLike, user: { id: string; name: string }, room: Room, options: ConnectionOptions) {
    this.#socket = socket;
    this.userId = user.id;
    this.userName = user.name;
    this.#room = room;
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: Uint8Array): void {
    if (this.#socket.readyState === OPEN) this.#socket.send(message);
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#room.leave(this);
    if (this.#socket.readyState === OPEN) this.#socket.close(code, reason);
  }

  /** The socket closed from the other side. */
  closedByPeer(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#room.leave(this);
  }

  committed(count: number): void {
    for (const bytes of this.#pending.splice(0, count)) this.#pendingBytes -= bytes;
    this.#acked += count;
    if (this.#paused && this.#pendingBytes <= this.#options.maxPendingBytes / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    if (this.#options.ack) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.ack);
      encoding.writeVarUint(encoder, this.#acked);
      this.send(encoding.toUint8Array(encoder));
    }
  }

  /** Handles one binary frame; any malformed content closes this socket only. */
  receive(frame: Uint8Array): void {
    if (this.#closed) return;
    try {
      const decoder = decoding.createDecoder(frame);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.sync:
          this.#receiveSync(decoder);
          break;
        case MessageType.awareness:
          this.#room.receiveAwareness(decoding.readVarUint8Array(decoder), this);
          break;
        case MessageType.queryAwareness:
          this.#room.sendAwarenessTo(this);
          break;
        default:
          throw new Error(`unknown message type ${type}`);
      }
    } catch (error) {
      this.close(CloseCode.badMessage, `malformed message: ${error instanceof Error ? error.message : 'unreadable'}`.slice(0, 120));
    }
  }

  #receiveSync(decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === SyncStep.step1) {
      Y.decodeStateVector(payload); // throws on garbage before anything is queued
      this.#room.receiveStateVector(payload, this);
      return;
    }
    if (step !== SyncStep.step2 && step !== SyncStep.update) throw new Error(`unknown sync step ${step}`);
    // Shared rooms have one writer, the server (intents); a client's Yjs writes are dropped unstored.
    if (this.#options.readOnly) return;
    this.#pending.push(payload.byteLength);
    this.#pendingBytes += payload.byteLength;
    this.#room.receiveUpdate(payload, this);
    if (!this.#paused && this.#pendingBytes > this.#options.maxPendingBytes) {
      this.#paused = true;
      this.#socket.pause();
    }
  }
}
