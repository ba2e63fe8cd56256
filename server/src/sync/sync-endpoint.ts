/**
 * WebSocket entry: /sync/notes/<packetId> and /sync/shared/<groupId>/<packetId>.
 *
 * Handlers are attached before any await and early frames are buffered (bounded: past
 * maxPendingBytes the socket is paused). A socket authenticates with `?token=` or, without it,
 * with an auth message as its first frame within authTimeoutMs (else 4408). The token is checked
 * and membership verified before a document is loaded; the room name comes from the raw path.
 * Open sockets re-check their token periodically, so revoking a token ends its sessions too.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { parseSyncPath, type RoomRef, SYNC_PREFIX, storageName } from '@randnoter/shared/protocol/rooms';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { readAuthToken } from './auth-frame.ts';
import { Connection } from './connection.ts';
import type { Rooms } from './rooms.ts';

export interface SyncEndpointOptions {
  rooms: Rooms;
  log: Logger;
  metrics: Metrics;
  /** Resolves a token to its user, or undefined when unknown or revoked. */
  authenticate(token: string): Promise<{ id: string; name: string } | undefined>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  limits: Pick<
    Limits,
    | 'maxFrameBytes'
    | 'maxPendingBytes'
    | 'maxSendBufferBytes'
    | 'authTimeoutMs'
    | 'reauthIntervalMs'
    | 'messagesPerSecond'
    | 'messageBurst'
    | 'floodCloseMs'
    | 'heartbeatMs'
  >;
  now?: () => number;
}

export interface SyncEndpoint {
  /** Stops accepting frames and closes every socket with 1001 (going away). */
  close(): void;
  readonly connectionCount: number;
}

interface Session {
  connection: Connection;
  token: string;
  ref: RoomRef;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

export function attachSyncEndpoint(server: Server, options: SyncEndpointOptions): SyncEndpoint {
  const { limits, log, metrics } = options;
  const now = options.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  const sessions = new Set<Session>();
  let closing = false;

  const reauth = setInterval(() => void recheckSessions(), limits.reauthIntervalMs);
  reauth.unref();
  /** When each socket last showed life (a frame or a pong). */
  const lastSeen = new Map<WebSocket, number>();
  // A peer that vanished without closing (a laptop lid, a dropped network) would otherwise keep its
  // room loaded forever. Browsers answer pings by themselves.
  const heartbeat = setInterval(() => {
    const at = now();
    for (const ws of sockets) {
      if (at - (lastSeen.get(ws) ?? at) > 2 * limits.heartbeatMs) {
        log.debug('socket dropped: no answer to pings');
        metrics.recordClose(1006);
        ws.terminate();
      } else if (ws.readyState === ws.OPEN) {
        ws.ping();
      }
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing || !request.url?.startsWith(SYNC_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request.url as string));
  });

  function refuse(ws: WebSocket, code: number, reason: string): null {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      metrics.recordClose(code);
      log.info('socket refused', { code, reason });
      ws.close(code, reason);
    }
    return null;
  }

  function accept(ws: WebSocket, url: string): void {
    sockets.add(ws);
    metrics.connections.inc();
    lastSeen.set(ws, now());
    ws.on('pong', () => lastSeen.set(ws, now()));
    const { path, query } = splitUrl(url);
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let paused = false;
    let session: Session | null = null;
    let authenticating = false;
    let authTimer: NodeJS.Timeout | null = null;
    ws.binaryType = 'nodebuffer';

    const startOpening = (token: string) => {
      authenticating = true;
      // The timeout is for sending credentials; checking them and loading the room may take longer.
      if (authTimer) clearTimeout(authTimer);
      void open(ws, path, query, token).then(
        (opened) => {
          if (!opened) return;
          session = opened;
          sessions.add(opened);
          // Resume first: handling the buffered frames may pause the socket again, for its own reasons.
          if (paused) ws.resume();
          for (const frame of early.splice(0)) opened.connection.receive(frame);
        },
        (error: unknown) => {
          if (closing) return refuse(ws, CloseCode.goingAway, 'server shutting down');
          log.error('could not open room', { error: String(error) });
          return refuse(ws, CloseCode.internalError, 'server error');
        },
      );
    };

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      lastSeen.set(ws, now());
      if (!isBinary) {
        if (session) session.connection.close(CloseCode.badMessage, 'binary frames only');
        else refuse(ws, CloseCode.badMessage, 'binary frames only');
        return;
      }
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (session) {
        session.connection.receive(frame);
      } else if (!authenticating) {
        // No ?token: the first frame must be the auth message.
        const token = readAuthToken(frame);
        if (token === null) refuse(ws, CloseCode.unauthorized, 'authenticate first: ?token= or an auth message');
        else startOpening(token);
      } else {
        early.push(frame);
        earlyBytes += frame.byteLength;
        if (!paused && earlyBytes > limits.maxPendingBytes) {
          paused = true;
          metrics.recordPause('pending');
          ws.pause();
        }
      }
    });
    ws.on('close', () => {
      if (authTimer) clearTimeout(authTimer);
      sockets.delete(ws);
      lastSeen.delete(ws);
      metrics.connections.dec();
      if (session) {
        sessions.delete(session);
        session.connection.closedByPeer();
      }
    });
    ws.on('error', (error) => log.debug('socket error', { error: error.message }));

    const token = query.get('token');
    if (token !== null) {
      startOpening(token); // an empty ?token= is a wrong token, not a request for the auth message
    } else {
      authTimer = setTimeout(() => {
        if (!session) refuse(ws, CloseCode.authTimeout, 'authentication timeout');
      }, limits.authTimeoutMs);
    }
  }

  async function open(ws: WebSocket, path: string, query: URLSearchParams, token: string): Promise<Session | null> {
    const user = await options.authenticate(token);
    if (!user) return refuse(ws, CloseCode.unauthorized, 'unknown or revoked token');
    const ref = parseSyncPath(path);
    // A non-member hears exactly what a request for a room that does not exist hears.
    if (!ref) return refuse(ws, CloseCode.notFound, 'no such room');
    if (ref.kind === 'shared' && !(await options.isMember(ref.groupId, user.id))) return refuse(ws, CloseCode.notFound, 'no such room');
    if (ws.readyState !== ws.OPEN || closing) return null;
    const connection = await options.rooms.use(storageName(ref, user.id), (room) => {
      if (ws.readyState !== ws.OPEN || closing) return null;
      const c = new Connection(ws, user, room, {
        readOnly: ref.kind === 'shared',
        ack: query.get('ack') === '1',
        maxPendingBytes: limits.maxPendingBytes,
        maxSendBufferBytes: limits.maxSendBufferBytes,
        messagesPerSecond: limits.messagesPerSecond,
        messageBurst: limits.messageBurst,
        floodCloseMs: limits.floodCloseMs,
        now,
        onClose: (code) => {
          metrics.recordClose(code);
          if (code !== CloseCode.goingAway) log.info('socket closed by server', { code, room: ref.kind, user: user.id });
        },
        onPause: (reason) => metrics.recordPause(reason),
        onUpdateReceived: () => void metrics.updatesReceived++,
      });
      room.join(c);
      return c;
    });
    if (!connection) return null;
    log.debug('peer joined', { room: ref.kind, user: user.id });
    return { connection, token, ref };
  }

  async function recheckSessions(): Promise<void> {
    for (const session of [...sessions]) {
      if (session.connection.closed) continue;
      try {
        const user = await options.authenticate(session.token);
        if (!user) session.connection.close(CloseCode.unauthorized, 'token revoked');
        else if (session.ref.kind === 'shared' && !(await options.isMember(session.ref.groupId, user.id)))
          session.connection.close(CloseCode.notFound, 'no such room');
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
      for (const session of sessions) session.connection.close(CloseCode.goingAway, 'server shutting down');
      for (const ws of sockets) ws.close(CloseCode.goingAway, 'server shutting down');
      wss.close();
    },
    get connectionCount() {
      return sockets.size;
    },
  };
}
