/**
 * WebSocket entry: /sync/notes/<packetId> and /sync/shared/<groupId>/<packetId>. Composes the
 * handshake (handshake.ts: upgrade, authentication, membership, joining the room), the heartbeat
 * (heartbeat.ts), the periodic re-check of tokens and memberships (session-recheck.ts) and of
 * access to closed items (closed-access-recheck.ts), and
 * closes them all on shutdown. docs/PROTOCOL.md, "Authentication", has the rules.
 */
import type { Server } from 'node:http';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import type { ClosedRoomRef } from '@randnoter/shared/protocol/rooms';
import { encodeNotificationMessage } from '@randnoter/shared/protocol/wire';
import { WebSocketServer } from 'ws';
import type { AccessRecorder } from '../access-log/access-log-writer.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { ClosedAccessRecheck } from './closed-access-recheck.ts';
import type { Connection, ConnectionSettings } from './connection.ts';
import { Handshake, MAX_FRAGMENTS } from './handshake.ts';
import { Heartbeat } from './heartbeat.ts';
import type { Rooms } from './rooms.ts';
import { SessionRecheck } from './session-recheck.ts';
import { STATE, type StatefulSocket } from './socket-state.ts';
import { UnauthenticatedGate } from './unauthenticated-gate.ts';

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
  /** Whether the user may read a closed item's room (docs/CLOSED-ITEMS.md). */
  mayReadClosed(ref: ClosedRoomRef, userId: string): Promise<boolean>;
  /** Records who opened which group's room (docs/OPERATIONS.md, "Access log"). */
  access: Pick<AccessRecorder, 'opened'>;
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
    | 'closedAccessRecheckMs'
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
  /** A member's socket joined a group's packet's open room (the packet is "opened", for `follow`). */
  openedPacket?(userId: string, groupId: string, packetId: string): void;
}

export interface SyncEndpoint {
  /** Stops accepting frames and closes every socket with 1001 (going away). */
  close(): void;
  /** Closes the user's sockets in these groups' shared rooms now (4404), as a membership re-check would. */
  closeGroupSockets(userId: string, groupIds: readonly string[]): void;
  /** Re-checks every socket on a closed item's room now (an item's access changed here); resolves when done. */
  recheckClosedAccess(): Promise<void>;
  /** Sends a notification (its JSON) to the user's sockets in this process that asked for them (`?notify=1`). */
  notify(userId: string, json: string): void;
  readonly connectionCount: number;
}

/** A closed socket's TCP connection ends this long after the close frame, whether the peer answers or not. */
const CLOSE_GRACE_MS = 500;

/** For logs: the kind of room, never its name (which holds ids). */
function roomKind(connection: Connection): string {
  return connection.room.name.slice(0, connection.room.name.indexOf('/'));
}

export function attachSyncEndpoint(server: Server, options: SyncEndpointOptions): SyncEndpoint {
  const { limits, log, metrics, rooms, authenticate, isMember, mayReadClosed } = options;
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
  /** Open sockets that asked for notifications, by user. */
  const listening = new Map<string, Set<StatefulSocket>>();
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
  const unauthenticated = new UnauthenticatedGate(limits.maxUnauthenticated, limits.maxUnauthenticatedPerAddress);
  const handshake = new Handshake({
    wss,
    sockets,
    unauthenticated,
    settings,
    rooms,
    log,
    metrics,
    authenticate,
    isMember,
    mayReadClosed,
    limits,
    now,
    closing: () => closing,
    access: options.access,
    joined(ws, user, ref) {
      if (ref.kind === 'shared') options.openedPacket?.(user.id, ref.groupId, ref.packetId);
      if (!ws[STATE].notify) return;
      const mine = listening.get(user.id) ?? new Set<StatefulSocket>();
      listening.set(user.id, mine);
      mine.add(ws);
      ws.once('close', () => {
        mine.delete(ws);
        if (mine.size === 0 && listening.get(user.id) === mine) listening.delete(user.id);
      });
    },
  });
  const closedRecheck = new ClosedAccessRecheck({
    intervalMs: limits.closedAccessRecheckMs,
    sessions: () => [...sockets].map((ws) => ws[STATE]),
    mayReadClosed,
    log,
  });
  const recheck = new SessionRecheck({
    intervalMs: limits.reauthIntervalMs,
    sessions: () => [...sockets].map((ws) => ws[STATE]),
    authenticate: options.recheck ?? authenticate,
    isMember,
    log,
  });
  const heartbeat = new Heartbeat({
    heartbeatMs: limits.heartbeatMs,
    now,
    sockets,
    lastSeen: (ws) => ws[STATE].lastSeen,
    isOpen: (ws) => ws.readyState === ws.OPEN,
    ping: (ws) => ws.ping(),
    drop: (ws) => {
      log.debug('socket dropped: no answer to pings');
      metrics.recordClose(1006);
      ws.terminate();
    },
  });

  server.on('upgrade', (request, socket, head) => handshake.upgrade(request, socket, head));

  return {
    close() {
      closing = true;
      recheck.stop();
      closedRecheck.stop();
      heartbeat.stop();
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
    recheckClosedAccess: () => closedRecheck.recheck(),
    notify(userId, json) {
      const mine = listening.get(userId);
      if (!mine) return;
      const frame = encodeNotificationMessage(json);
      for (const ws of mine) {
        const { connection } = ws[STATE];
        if (connection && !connection.closed && connection.userId === userId) connection.send(frame);
      }
    },
    get connectionCount() {
      return sockets.size;
    },
  };
}
