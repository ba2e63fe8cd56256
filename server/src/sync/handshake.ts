/**
 * A socket's way in: the upgrade, authentication (`?token=` checked before the upgrade is
 * answered, or an auth message as the first frame, within authTimeoutMs), membership, then a
 * Connection joined to its room. Handlers are attached before any await and early frames are
 * buffered (bounded: past the limit the socket is paused). Until a socket has authenticated it
 * costs a stranger little: tiny frames only, a place among a bounded number of unauthenticated
 * sockets (overall and per address), and a refused socket's TCP connection ends CLOSE_GRACE_MS
 * after its close frame, answered or not.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { type ClosedRoomRef, parseSyncPath, type RoomRef, SYNC_PREFIX, storageName } from '@randnoter/shared/protocol/rooms';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AccessRecorder } from '../access-log/access-log-writer.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { readAuthToken } from './auth-frame.ts';
import { Connection, type ConnectionMode, type ConnectionSettings } from './connection.ts';
import { setFrameLimit } from './frame-limit.ts';
import type { Rooms } from './rooms.ts';
import { SocketState, STATE, type StatefulSocket, stateful } from './socket-state.ts';
import type { UnauthenticatedGate } from './unauthenticated-gate.ts';
import { UserShare } from './user-share.ts';

type User = { id: string; name: string };

/** Fragments one message may arrive in: browsers send one frame per message. */
export const MAX_FRAGMENTS = 1024;
const MAX_FRAGMENTS_UNAUTHENTICATED = 4;

const NOTHING = () => {};

const SHARED_MODE: ConnectionMode = { readOnly: true, ack: false };
const NOTES_ACKED: ConnectionMode = { readOnly: false, ack: true };
const NOTES_UNACKED: ConnectionMode = { readOnly: false, ack: false };

/** The `token` query parameter of an upgrade URL (an empty one is a wrong token, not a missing one). */
function tokenOf(url: string): string | null {
  const q = url.indexOf('?');
  return q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('token');
}

export interface HandshakeOptions {
  wss: WebSocketServer;
  /** Every accepted socket, until it closes. */
  sockets: Set<StatefulSocket>;
  unauthenticated: UnauthenticatedGate;
  settings: ConnectionSettings;
  rooms: Rooms;
  log: Logger;
  metrics: Metrics;
  authenticate(token: string): Promise<User | undefined>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  /** A closed item's room: whether the user may read it (docs/CLOSED-ITEMS.md). */
  mayReadClosed(ref: ClosedRoomRef, userId: string): Promise<boolean>;
  limits: Pick<
    Limits,
    | 'maxFrameBytes'
    | 'maxUnauthenticatedFrameBytes'
    | 'maxPendingBytes'
    | 'authTimeoutMs'
    | 'maxConnectionsPerUser'
    | 'userSendBytesPerSecond'
    | 'userSendBurstBytes'
    | 'maxUserUnsentBytes'
  >;
  now: () => number;
  /** The endpoint is closing: nothing new is let in. */
  closing(): boolean;
  /** Records who opened which group's room (once the socket has joined it). */
  access: Pick<AccessRecorder, 'opened'>;
  /** A socket joined its room (after every check): for the notification index and `follow`. */
  joined?(ws: StatefulSocket, user: User, ref: RoomRef): void;
}

export class Handshake {
  readonly #options: HandshakeOptions;
  /** What each user with an open connection takes of this process (their devices and tabs together). */
  readonly #shares = new Map<string, UserShare>();
  /** Socket listeners, shared by every socket (called with the socket as `this`). */
  readonly #onPong: (this: WebSocket) => void;
  readonly #onError: (this: WebSocket, error: Error) => void;
  readonly #onMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  readonly #onClose: (this: WebSocket) => void;

  constructor(options: HandshakeOptions) {
    this.#options = options;
    const handshake = this;
    this.#onPong = function (this: WebSocket) {
      stateful(this)[STATE].lastSeen = options.now();
    };
    this.#onError = function (this: WebSocket, error: Error) {
      options.log.debug('socket error', { error: error.message });
      // A protocol error (too big a frame, say) before authentication: ws would go on reading the
      // stranger's bytes until the close handshake ends; nothing of theirs is worth reading.
      if (stateful(this)[STATE].authTimer) this.terminate();
    };
    this.#onMessage = function (this: WebSocket, data: Buffer, isBinary: boolean) {
      handshake.#message(stateful(this), data, isBinary);
    };
    this.#onClose = function (this: WebSocket) {
      handshake.#closed(stateful(this));
    };
  }

  /** An HTTP upgrade request: refused at once, or on its way to becoming a socket. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { wss, unauthenticated, metrics, limits, log, closing } = this.#options;
    if (closing() || !request.url?.startsWith(SYNC_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const leaveGate = unauthenticated.enter(request.socket.remoteAddress ?? '');
    if (!leaveGate) {
      metrics.recordRefusedUpgrade();
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Whatever becomes of the handshake, a closed connection gives its place back.
    socket.once('close', leaveGate);
    const url = request.url;
    const token = tokenOf(url);
    if (token === null) {
      wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, socket, url, leaveGate, null));
      return;
    }
    const deadline = setTimeout(() => socket.destroy(), limits.authTimeoutMs);
    this.#options.authenticate(token).then(
      (user) => {
        clearTimeout(deadline);
        if (socket.destroyed) return;
        if (closing()) return void socket.destroy();
        wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, socket, url, leaveGate, { token, user: user ?? null }));
      },
      (error: unknown) => {
        clearTimeout(deadline);
        log.error('could not check a token', { error: String(error) });
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
  }

  #refuse(ws: WebSocket, code: number, reason: string): null {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      this.#options.metrics.recordClose(code);
      this.#options.log.info('socket refused', { code, reason });
      ws.close(code, reason);
    }
    return null;
  }

  /**
   * `checked`: a `?token=` and the user it names (null: unknown or revoked), looked up before the
   * upgrade; null when the client is to send the auth message.
   */
  #accept(
    socket: WebSocket,
    stream: Duplex,
    url: string,
    leaveGate: () => void,
    checked: { token: string; user: User | null } | null,
  ): void {
    const { limits, sockets, metrics, now } = this.#options;
    const ws = stateful(socket);
    const state = new SocketState(stream, url, now(), leaveGate, limits.maxUnauthenticatedFrameBytes);
    ws[STATE] = state;
    setFrameLimit(ws, limits.maxUnauthenticatedFrameBytes, MAX_FRAGMENTS_UNAUTHENTICATED);
    sockets.add(ws);
    metrics.connections.inc();
    ws.binaryType = 'nodebuffer';
    ws.on('pong', this.#onPong);
    ws.on('message', this.#onMessage);
    ws.on('close', this.#onClose);
    ws.on('error', this.#onError);
    // Sending the credentials and having them checked, both within the time.
    state.authTimer = setTimeout(() => {
      state.authTimer = null;
      this.#refuse(ws, CloseCode.authTimeout, 'authentication timeout');
    }, limits.authTimeoutMs);
    if (checked) this.#startOpening(ws, checked.token, checked.user);
  }

  /** The socket's user is known: it may send frames of any size and leaves the unauthenticated ones. */
  #authenticated(ws: StatefulSocket, state: SocketState): void {
    if (state.authTimer) clearTimeout(state.authTimer);
    state.authTimer = null;
    state.leaveGate();
    // The TCP socket's close no longer concerns the gate: its listener and this closure go (a
    // server holds tens of thousands of authenticated sockets).
    state.stream.removeListener('close', state.leaveGate);
    state.leaveGate = NOTHING;
    state.earlyLimit = this.#options.limits.maxPendingBytes;
    setFrameLimit(ws, this.#options.limits.maxFrameBytes, MAX_FRAGMENTS);
  }

  #message(ws: StatefulSocket, data: Buffer, isBinary: boolean): void {
    const state = ws[STATE];
    state.lastSeen = this.#options.now();
    if (!isBinary) {
      if (state.connection) state.connection.close(CloseCode.badMessage, 'binary frames only');
      else this.#refuse(ws, CloseCode.badMessage, 'binary frames only');
      return;
    }
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (state.connection) {
      state.connection.receive(frame);
    } else if (!state.early) {
      // No ?token: the first frame must be the auth message.
      const token = readAuthToken(frame);
      if (token === null) this.#refuse(ws, CloseCode.unauthorized, 'authenticate first: ?token= or an auth message');
      else this.#startOpening(ws, token, undefined);
    } else {
      state.early.push(frame);
      state.earlyBytes += frame.byteLength;
      if (!state.paused && state.earlyBytes > state.earlyLimit) {
        state.paused = true;
        this.#options.metrics.recordPause('pending');
        ws.pause();
      }
    }
  }

  #closed(ws: StatefulSocket): void {
    const state = ws[STATE];
    if (state.authTimer) clearTimeout(state.authTimer);
    state.leaveGate();
    this.#options.sockets.delete(ws);
    this.#options.metrics.connections.dec();
    const { connection } = state;
    if (!connection) return;
    connection.closedByPeer();
    if (this.#shares.get(connection.userId)?.connections === 0) this.#shares.delete(connection.userId);
  }

  /** `user`: already looked up (null: unknown token), or undefined to look it up now. */
  #startOpening(ws: StatefulSocket, token: string, user: User | null | undefined): void {
    const state = ws[STATE];
    state.token = token;
    state.early = [];
    void this.#open(ws, state, user).then(
      (connection) => {
        if (!connection) return;
        state.connection = connection;
        const early = state.early ?? [];
        state.early = null;
        // Resume first: handling the buffered frames may pause the socket again, for its own reasons.
        if (state.paused) ws.resume();
        for (const frame of early) connection.receive(frame);
      },
      (error: unknown) => {
        if (this.#options.closing()) return this.#refuse(ws, CloseCode.goingAway, 'server shutting down');
        this.#options.log.error('could not open room', { error: String(error) });
        return this.#refuse(ws, CloseCode.internalError, 'server error');
      },
    );
  }

  async #open(ws: StatefulSocket, state: SocketState, known: User | null | undefined): Promise<Connection | null> {
    const { limits, closing, rooms, settings, log } = this.#options;
    const user = known === undefined ? await this.#options.authenticate(state.token ?? '') : known;
    if (ws.readyState !== ws.OPEN || closing()) return null;
    if (!user) return this.#refuse(ws, CloseCode.unauthorized, 'unknown or revoked token');
    this.#authenticated(ws, state);
    const ref = parseSyncPath(state.path);
    // A non-member, and anyone who may not read a closed item, hears exactly what a request for
    // a room that does not exist hears.
    if (!ref) return this.#refuse(ws, CloseCode.notFound, 'no such room');
    if (ref.kind === 'shared' && !(await this.#options.isMember(ref.groupId, user.id)))
      return this.#refuse(ws, CloseCode.notFound, 'no such room');
    if (ref.kind === 'closed' && !(await this.#options.mayReadClosed(ref, user.id)))
      return this.#refuse(ws, CloseCode.notFound, 'no such room');
    if (ws.readyState !== ws.OPEN || closing()) return null;
    const tooMany = () =>
      this.#refuse(ws, CloseCode.rateLimited, `too many connections for one user (at most ${limits.maxConnectionsPerUser})`);
    if (this.#atCap(user.id)) return tooMany();
    if (ref.kind !== 'notes') state.groupId = ref.groupId;
    if (ref.kind === 'closed') state.closedItem = ref;
    // The server is the only writer of shared and closed rooms: clients read them.
    const mode = ref.kind !== 'notes' ? SHARED_MODE : state.ack ? NOTES_ACKED : NOTES_UNACKED;
    const connection = await rooms.use(storageName(ref, user.id), (room) => {
      // Checked again: the user's other sockets may have opened while the room loaded.
      if (ws.readyState !== ws.OPEN || closing() || this.#atCap(user.id)) return null;
      const share = this.#shareOf(user.id);
      const c = new Connection(ws, state.stream, user, room, mode, settings, share);
      share.join(c);
      room.join(c);
      return c;
    });
    if (!connection) return ws.readyState === ws.OPEN && !closing() ? tooMany() : null;
    log.debug('peer joined', { room: ref.kind, user: user.id });
    if (ref.kind !== 'notes')
      this.#options.access.opened(
        user.id,
        { groupId: ref.groupId, packetId: ref.packetId, itemNumber: ref.kind === 'closed' ? ref.itemNumber : null },
        'socket',
      );
    this.#options.joined?.(ws, user, ref);
    return connection;
  }

  #shareOf(userId: string): UserShare {
    let share = this.#shares.get(userId);
    if (!share) {
      share = new UserShare(this.#options.limits, this.#options.now);
      this.#shares.set(userId, share);
    }
    return share;
  }

  #atCap(userId: string): boolean {
    return this.#shares.get(userId)?.full ?? false;
  }
}
