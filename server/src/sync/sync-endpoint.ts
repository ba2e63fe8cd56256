/**
 * WebSocket entry: /sync/notes/<packetId> and /sync/shared/<groupId>/<packetId>.
 * Handlers are attached before any await and early frames are buffered; the token is checked
 * and membership verified before a document is loaded; the room name comes from the raw path.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { parseSyncPath, SYNC_PREFIX, storageName } from '@randnoter/shared/protocol/rooms';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { Connection } from './connection.ts';
import type { Rooms } from './rooms.ts';

export interface SyncEndpointOptions {
  rooms: Rooms;
  log: Logger;
  metrics: Metrics;
  /** Resolves a token to its user, or undefined when unknown or revoked. */
  authenticate(token: string): Promise<{ id: string; name: string } | undefined>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  maxFrameBytes: number;
  maxPendingBytes: number;
}

export interface SyncEndpoint {
  /** Closes every socket with 1001 (going away). */
  closeAll(): void;
  readonly connectionCount: number;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

export function attachSyncEndpoint(server: Server, options: SyncEndpointOptions): SyncEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!request.url?.startsWith(SYNC_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request.url as string));
  });

  function accept(ws: WebSocket, url: string): void {
    sockets.add(ws);
    options.metrics.connections.inc();
    const early: Uint8Array[] = [];
    let connection: Connection | null = null;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(CloseCode.badMessage, 'binary frames only');
        return;
      }
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (connection) connection.receive(frame);
      else early.push(frame);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      options.metrics.connections.dec();
      connection?.closedByPeer();
    });
    ws.on('error', (error) => options.log.debug('socket error', { error: error.message }));

    void open(ws, url).then(
      (opened) => {
        if (!opened) return;
        connection = opened;
        for (const frame of early.splice(0)) opened.receive(frame);
      },
      (error: unknown) => {
        options.log.error('could not open room', { error: String(error) });
        ws.close(CloseCode.internalError, 'server error');
      },
    );
  }

  async function open(ws: WebSocket, url: string): Promise<Connection | null> {
    const { path, query } = splitUrl(url);
    const ref = parseSyncPath(path);
    const token = query.get('token');
    if (!token) return refuse(ws, CloseCode.unauthorized, 'missing token');
    const user = await options.authenticate(token);
    if (!user) return refuse(ws, CloseCode.unauthorized, 'unknown or revoked token');
    if (!ref) return refuse(ws, CloseCode.notFound, 'no such room');
    if (ref.kind === 'shared' && !(await options.isMember(ref.groupId, user.id))) {
      return refuse(ws, CloseCode.notFound, 'no such room');
    }
    const room = await options.rooms.get(storageName(ref, user.id));
    if (ws.readyState !== ws.OPEN) return null;
    const connection = new Connection(ws, user, room, {
      readOnly: ref.kind === 'shared',
      ack: query.get('ack') === '1',
      maxPendingBytes: options.maxPendingBytes,
    });
    room.join(connection);
    options.log.debug('peer joined', { room: ref.kind, user: user.id });
    return connection;
  }

  function refuse(ws: WebSocket, code: number, reason: string): null {
    ws.close(code, reason);
    return null;
  }

  return {
    closeAll() {
      for (const ws of sockets) ws.close(CloseCode.goingAway, 'server shutting down');
    },
    get connectionCount() {
      return sockets.size;
    },
  };
}
