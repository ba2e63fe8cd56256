/**
 * What the sync endpoint keeps per socket, on the socket itself (one object: the listeners are
 * shared by every socket, so a connection costs no closures). The handshake fills it in, the
 * heartbeat reads when the socket last showed life, the session re-check its token and group.
 */
import type { Duplex } from 'node:stream';
import type { ClosedRoomRef } from '@randnoter/shared/protocol/rooms';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.ts';

export class SocketState {
  readonly stream: Duplex;
  readonly path: string;
  readonly ack: boolean;
  /** `?notify=1`: the socket also carries the user's new notifications (docs/PROTOCOL.md). */
  readonly notify: boolean;
  /** From `?token=` or the auth message; re-checked periodically once open. */
  token: string | null;
  /** When the socket last showed life (a frame or a pong). */
  lastSeen: number;
  /** Frames that arrived while the token was being checked. */
  early: Uint8Array[] | null = null;
  earlyBytes = 0;
  /** Early bytes past which the socket is paused: a few frames until authenticated. */
  earlyLimit: number;
  paused = false;
  /** Until the socket has authenticated (then null). */
  authTimer: NodeJS.Timeout | null = null;
  /** Gives back the socket's place among the unauthenticated ones (idempotent); a no-op once given back. */
  leaveGate: () => void;
  connection: Connection | null = null;
  /** Shared and closed rooms: the group whose membership is re-checked. */
  groupId: string | null = null;
  /** A closed item's room: the item, whose access is re-checked (closed-access-recheck.ts). */
  closedItem: ClosedRoomRef | null = null;

  constructor(stream: Duplex, url: string, now: number, leaveGate: () => void, earlyLimit: number) {
    const q = url.indexOf('?');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    this.stream = stream;
    this.leaveGate = leaveGate;
    this.earlyLimit = earlyLimit;
    this.path = q < 0 ? url : url.slice(0, q);
    this.ack = query.get('ack') === '1';
    this.notify = query.get('notify') === '1';
    this.token = query.get('token');
    this.lastSeen = now;
  }
}

export const STATE = Symbol('randnoter socket state');
export type StatefulSocket = WebSocket & { [STATE]: SocketState };
/** Listeners are called with the socket as `this`; every socket got its state when accepted. */
export const stateful = (ws: WebSocket): StatefulSocket => ws as StatefulSocket;
