/**
 * WebSocket entry: /sync/notes/<packetId> and /sync/shared/<groupId>/<packetId>.
 *
 * Handlers are attached before any await and early frames are buffered (bounded: past
 * maxPendingBytes the socket is paused). A socket authenticates with `?token=` or, without it,
 * with an auth message as its first frame, within authTimeoutMs (else 4408). The token is checked
 * and membership verified before a document is loaded; the room name comes from the raw path.
 * Open sockets re-check their token periodically, so revoking a token ends its sessions too.
 *
 * A `?token=` is checked before the upgrade is answered, so such a client's first frame already
 * meets the authenticated limits (a y-websocket client may send a big update at once).
 * Until a socket has authenticated it costs a stranger little: it may send only tiny frames, it
 * takes a place among a bounded number of unauthenticated sockets (overall and per address), and
 * a refused socket's TCP connection ends CLOSE_GRACE_MS after its close frame, answered or not.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { parseSyncPath, SYNC_PREFIX, storageName } from '@randnoter/shared/protocol/rooms';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { readAuthToken } from './auth-frame.ts';
import { Connection, type ConnectionMode, type ConnectionSettings } from './connection.ts';
import { setFrameLimit } from './frame-limit.ts';
import type { Rooms } from './rooms.ts';
import { UnauthenticatedGate } from './unauthenticated-gate.ts';
import { UserShare } from './user-share.ts';

type User = { id: string; name: string };

/** The `token` query parameter of an upgrade URL (an empty one is a wrong token, not a missing one). */
function tokenOf(url: string): string | null {
  const q = url.indexOf('?');
  return q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('token');
}

export interface SyncEndpointOptions {
  rooms: Rooms;
  log: Logger;
  metrics: Metrics;
  /** Resolves a token to its user, or undefined when unknown or revoked. */
  authenticate(token: string): Promise<{ id: string; name: string } | undefined>;
  /**
   * What open sockets re-check of their token (default: `authenticate`): a sign-in's access token
   * expires within minutes, but its socket lives as long as the sign-in does.
   */
  recheck?(token: string): Promise<{ id: string; name: string } | undefined>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  limits: Pick<
    Limits,
    | 'maxFrameBytes'
    | 'maxUnauthenticatedFrameBytes'
    | 'maxUnauthenticated'
    | 'maxUnauthenticatedPerAddress'
    | 'maxPendingBytes'
    | 'maxSendBufferBytes'
    | 'authTimeoutMs'
    | 'reauthIntervalMs'
    | 'messagesPerSecond'
    | 'messageBurst'
    | 'floodCloseMs'
    | 'heartbeatMs'
    | 'maxConnectionsPerUser'
    | 'userSendBytesPerSecond'
    | 'userSendBurstBytes'
    | 'maxUserUnsentBytes'
  >;
  now?: () => number;
}

export interface SyncEndpoint {
  /** Stops accepting frames and closes every socket with 1001 (going away). */
  close(): void;
  /** Closes the user's sockets in these groups' shared rooms now (4404), as a membership re-check would. */
  closeGroupSockets(userId: string, groupIds: readonly string[]): void;
  readonly connectionCount: number;
}

/** Heartbeat pings go out in slices this often (see attachSyncEndpoint). */
const PING_TICK_MS = 100;

const NOTHING = () => {};

/** A closed socket's TCP connection ends this long after the close frame, whether the peer answers or not. */
const CLOSE_GRACE_MS = 500;

/** Fragments one message may arrive in: browsers send one frame per message. */
const MAX_FRAGMENTS = 1024;
const MAX_FRAGMENTS_UNAUTHENTICATED = 4;

const SHARED_MODE: ConnectionMode = { readOnly: true, ack: false };
const NOTES_ACKED: ConnectionMode = { readOnly: false, ack: true };
const NOTES_UNACKED: ConnectionMode = { readOnly: false, ack: false };

/** For logs: the kind of room, never its name (which holds ids). */
function roomKind(connection: Connection): string {
  return connection.room.name.slice(0, connection.room.name.indexOf('/'));
}

/**
 * What the endpoint keeps per socket, on the socket itself (one object: listeners are shared by
 * every socket, so a connection costs no closures).
 */
class SocketState {
  readonly stream: Duplex;
  readonly path: string;
  readonly ack: boolean;
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
  /** Gives back the socket's place among the unauthenticated ones (idempotent); NOTHING once given back. */
  leaveGate: () => void;
  connection: Connection | null = null;
  /** Shared rooms: the group whose membership is re-checked. */
  groupId: string | null = null;

  constructor(stream: Duplex, url: string, now: number, leaveGate: () => void, earlyLimit: number) {
    const q = url.indexOf('?');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    this.stream = stream;
    this.leaveGate = leaveGate;
    this.earlyLimit = earlyLimit;
    this.path = q < 0 ? url : url.slice(0, q);
    this.ack = query.get('ack') === '1';
    this.token = query.get('token');
    this.lastSeen = now;
  }
}

const STATE = Symbol('randnoter socket state');
type StatefulSocket = WebSocket & { [STATE]: SocketState };
/** Listeners are called with the socket as `this`; every socket got its state in accept(). */
const stateful = (ws: WebSocket): StatefulSocket => ws as StatefulSocket;

export function attachSyncEndpoint(server: Server, options: SyncEndpointOptions): SyncEndpoint {
  const { limits, log, metrics } = options;
  const now = options.now ?? Date.now;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    maxFragments: MAX_FRAGMENTS,
    perMessageDeflate: false,
    // ws 8.19+; not in @types/ws yet.
    ...({ closeTimeout: CLOSE_GRACE_MS } as object),
  });
  const sockets = new Set<StatefulSocket>();
  const unauthenticated = new UnauthenticatedGate(limits.maxUnauthenticated, limits.maxUnauthenticatedPerAddress);
  /** What each user with an open connection takes of this process (their devices and tabs together). */
  const shares = new Map<string, UserShare>();
  const shareOf = (userId: string): UserShare => {
    let share = shares.get(userId);
    if (!share) {
      share = new UserShare(limits, now);
      shares.set(userId, share);
    }
    return share;
  };
  const atCap = (userId: string) => shares.get(userId)?.full ?? false;
  let closing = false;

  const settings: ConnectionSettings = {
    maxPendingBytes: limits.maxPendingBytes,
    maxSendBufferBytes: limits.maxSendBufferBytes,
    messagesPerSecond: limits.messagesPerSecond,
    messageBurst: limits.messageBurst,
    floodCloseMs: limits.floodCloseMs,
    now,
    onClose: (connection, code) => {
      metrics.recordClose(code);
      if (code !== CloseCode.goingAway) log.info('socket closed by server', { code, room: roomKind(connection), user: connection.userId });
    },
    onPause: (reason) => metrics.recordPause(reason),
    onUpdateReceived: () => void metrics.updatesReceived++,
  };

  const reauth = setInterval(() => void recheckSessions(), limits.reauthIntervalMs);
  reauth.unref();
  // A peer that vanished without closing (a laptop lid, a dropped network) would otherwise keep its
  // room loaded forever. Browsers answer pings by themselves. The pings go out a slice every tick,
  // each socket about once per interval: all at once stalled every room's relays for as long as
  // that took (about 20 ms per 1,000 sockets here).
  const pingTickMs = Math.min(PING_TICK_MS, limits.heartbeatMs);
  let pingRound: Iterator<StatefulSocket> | null = null;
  const heartbeat = setInterval(() => {
    const at = now();
    pingRound ??= sockets.values();
    for (let n = Math.ceil((sockets.size * pingTickMs) / limits.heartbeatMs); n > 0; n--) {
      const next = pingRound.next();
      if (next.done) {
        pingRound = null; // the next tick starts the next round
        return;
      }
      const ws = next.value;
      if (at - ws[STATE].lastSeen > 2 * limits.heartbeatMs) {
        log.debug('socket dropped: no answer to pings');
        metrics.recordClose(1006);
        ws.terminate();
      } else if (ws.readyState === ws.OPEN) {
        ws.ping();
      }
    }
  }, pingTickMs);
  heartbeat.unref();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing || !request.url?.startsWith(SYNC_PREFIX)) {
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
      wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, url, leaveGate, null));
      return;
    }
    const deadline = setTimeout(() => socket.destroy(), limits.authTimeoutMs);
    options.authenticate(token).then(
      (user) => {
        clearTimeout(deadline);
        if (socket.destroyed) return;
        if (closing) return void socket.destroy();
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, url, leaveGate, { token, user: user ?? null }));
      },
      (error: unknown) => {
        clearTimeout(deadline);
        log.error('could not check a token', { error: String(error) });
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
  });

  function refuse(ws: WebSocket, code: number, reason: string): null {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      metrics.recordClose(code);
      log.info('socket refused', { code, reason });
      ws.close(code, reason);
    }
    return null;
  }

  /**
   * `checked`: a `?token=` and the user it names (null: unknown or revoked), looked up before the
   * upgrade; null when the client is to send the auth message.
   */
  function accept(
    socket: WebSocket,
    stream: Duplex,
    url: string,
    leaveGate: () => void,
    checked: { token: string; user: User | null } | null,
  ): void {
    const ws = stateful(socket);
    const state = new SocketState(stream, url, now(), leaveGate, limits.maxUnauthenticatedFrameBytes);
    ws[STATE] = state;
    setFrameLimit(ws, limits.maxUnauthenticatedFrameBytes, MAX_FRAGMENTS_UNAUTHENTICATED);
    sockets.add(ws);
    metrics.connections.inc();
    ws.binaryType = 'nodebuffer';
    ws.on('pong', onPong);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
    // Sending the credentials and having them checked, both within the time.
    state.authTimer = setTimeout(() => {
      state.authTimer = null;
      refuse(ws, CloseCode.authTimeout, 'authentication timeout');
    }, limits.authTimeoutMs);
    if (checked) startOpening(ws, checked.token, checked.user);
  }

  /** The socket's user is known: it may send frames of any size and leaves the unauthenticated ones. */
  function authenticated(ws: StatefulSocket, state: SocketState): void {
    if (state.authTimer) clearTimeout(state.authTimer);
    state.authTimer = null;
    state.leaveGate();
    // The TCP socket's close no longer concerns the gate: its listener and this closure go (a
    // server holds tens of thousands of authenticated sockets).
    state.stream.removeListener('close', state.leaveGate);
    state.leaveGate = NOTHING;
    state.earlyLimit = limits.maxPendingBytes;
    setFrameLimit(ws, limits.maxFrameBytes, MAX_FRAGMENTS);
  }

  function onPong(this: WebSocket): void {
    stateful(this)[STATE].lastSeen = now();
  }

  function onError(this: WebSocket, error: Error): void {
    log.debug('socket error', { error: error.message });
    // A protocol error (too big a frame, say) before authentication: ws would go on reading the
    // stranger's bytes until the close handshake ends; nothing of theirs is worth reading.
    if (stateful(this)[STATE].authTimer) this.terminate();
  }

  function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    const ws = stateful(this);
    const state = ws[STATE];
    state.lastSeen = now();
    if (!isBinary) {
      if (state.connection) state.connection.close(CloseCode.badMessage, 'binary frames only');
      else refuse(this, CloseCode.badMessage, 'binary frames only');
      return;
    }
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (state.connection) {
      state.connection.receive(frame);
    } else if (!state.early) {
      // No ?token: the first frame must be the auth message.
      const token = readAuthToken(frame);
      if (token === null) refuse(ws, CloseCode.unauthorized, 'authenticate first: ?token= or an auth message');
      else startOpening(ws, token, undefined);
    } else {
      state.early.push(frame);
      state.earlyBytes += frame.byteLength;
      if (!state.paused && state.earlyBytes > state.earlyLimit) {
        state.paused = true;
        metrics.recordPause('pending');
        this.pause();
      }
    }
  }

  function onClose(this: WebSocket): void {
    const ws = stateful(this);
    const state = ws[STATE];
    if (state.authTimer) clearTimeout(state.authTimer);
    state.leaveGate();
    sockets.delete(ws);
    metrics.connections.dec();
    const { connection } = state;
    if (!connection) return;
    connection.closedByPeer();
    if (shares.get(connection.userId)?.connections === 0) shares.delete(connection.userId);
  }

  /** `user`: already looked up (null: unknown token), or undefined to look it up now. */
  function startOpening(ws: StatefulSocket, token: string, user: User | null | undefined): void {
    const state = ws[STATE];
    state.token = token;
    state.early = [];
    void open(ws, state, user).then(
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
        if (closing) return refuse(ws, CloseCode.goingAway, 'server shutting down');
        log.error('could not open room', { error: String(error) });
        return refuse(ws, CloseCode.internalError, 'server error');
      },
    );
  }

  async function open(ws: StatefulSocket, state: SocketState, known: User | null | undefined): Promise<Connection | null> {
    const user = known === undefined ? await options.authenticate(state.token ?? '') : known;
    if (ws.readyState !== ws.OPEN || closing) return null;
    if (!user) return refuse(ws, CloseCode.unauthorized, 'unknown or revoked token');
    authenticated(ws, state);
    const ref = parseSyncPath(state.path);
    // A non-member hears exactly what a request for a room that does not exist hears.
    if (!ref) return refuse(ws, CloseCode.notFound, 'no such room');
    if (ref.kind === 'shared' && !(await options.isMember(ref.groupId, user.id))) return refuse(ws, CloseCode.notFound, 'no such room');
    if (ws.readyState !== ws.OPEN || closing) return null;
    const tooMany = () => refuse(ws, CloseCode.rateLimited, `too many connections for one user (at most ${limits.maxConnectionsPerUser})`);
    if (atCap(user.id)) return tooMany();
    if (ref.kind === 'shared') state.groupId = ref.groupId;
    const mode = ref.kind === 'shared' ? SHARED_MODE : state.ack ? NOTES_ACKED : NOTES_UNACKED;
    const connection = await options.rooms.use(storageName(ref, user.id), (room) => {
      // Checked again: the user's other sockets may have opened while the room loaded.
      if (ws.readyState !== ws.OPEN || closing || atCap(user.id)) return null;
      const share = shareOf(user.id);
      const c = new Connection(ws, state.stream, user, room, mode, settings, share);
      share.join(c);
      room.join(c);
      return c;
    });
    if (!connection) return ws.readyState === ws.OPEN && !closing ? tooMany() : null;
    log.debug('peer joined', { room: ref.kind, user: user.id });
    return connection;
  }

  async function recheckSessions(): Promise<void> {
    // One lookup per token and per membership a round, not one per socket: a user's devices and
    // rooms share them, and a server holds thousands of sockets.
    const users = new Map<string, ReturnType<SyncEndpointOptions['authenticate']>>();
    const memberships = new Map<string, Promise<boolean>>();
    const once = <T>(cache: Map<string, Promise<T>>, key: string, look: () => Promise<T>): Promise<T> => {
      const found = cache.get(key) ?? look();
      cache.set(key, found);
      return found;
    };
    for (const { [STATE]: state } of [...sockets]) {
      const { connection, token, groupId } = state;
      if (!connection || connection.closed || token === null) continue;
      try {
        const user = await once(users, token, () => (options.recheck ?? options.authenticate)(token));
        if (!user) connection.close(CloseCode.unauthorized, 'token revoked');
        else if (groupId !== null && !(await once(memberships, `${groupId}/${user.id}`, () => options.isMember(groupId, user.id))))
          connection.close(CloseCode.notFound, 'no such room');
      } catch (error) {
        log.warn('could not re-check a token', { error: String(error) });
      }
    }
  }

  return {
    close() {
      closing = true;
      clearInterval(reauth);
      clearInterval(heartbeat);
      for (const ws of sockets) ws[STATE].connection?.close(CloseCode.goingAway, 'server shutting down');
      for (const ws of sockets) ws.close(CloseCode.goingAway, 'server shutting down');
      wss.close();
    },
    closeGroupSockets(userId, groupIds) {
      for (const { [STATE]: state } of [...sockets]) {
        const { connection, groupId } = state;
        if (connection && !connection.closed && connection.userId === userId && groupId !== null && groupIds.includes(groupId))
          connection.close(CloseCode.notFound, 'no such room');
      }
    },
    get connectionCount() {
      return sockets.size;
    },
  };
}
