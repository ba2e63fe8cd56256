/**
 * Room names: what clients connect to, and what the server stores.
 *
 *   client path                          storage name
 *   /sync/notes/<packetId>          ->   notes/<userId>/<packetId>   (userId from the token, never from the client)
 *   /sync/shared/<groupId>/<packetId> -> shared/<groupId>/<packetId>
 *
 * Ids are matched against the raw, undecoded path, so no encoding trick (%2F, .., unicode)
 * can name another room: anything outside the pattern is simply not a room.
 */
import { ID_PATTERN } from '../identity/ids.ts';

const RoomKind = { notes: 'notes', shared: 'shared' } as const;

export type RoomRef = { kind: 'notes'; packetId: string } | { kind: 'shared'; groupId: string; packetId: string };

export const SYNC_PREFIX = '/sync/';

export function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** Parses the path part of a sync URL (no query); null when it names no valid room. */
export function parseSyncPath(path: string): RoomRef | null {
  if (!path.startsWith(SYNC_PREFIX)) return null;
  const parts = path.slice(SYNC_PREFIX.length).split('/');
  if (parts[0] === RoomKind.notes && parts.length === 2 && isId(parts[1])) {
    return { kind: 'notes', packetId: parts[1] };
  }
  if (parts[0] === RoomKind.shared && parts.length === 3 && isId(parts[1]) && isId(parts[2])) {
    return { kind: 'shared', groupId: parts[1], packetId: parts[2] };
  }
  return null;
}

/** The path a client connects to (y-websocket appends the room name to the server URL). */
export function syncPath(ref: RoomRef): string {
  return ref.kind === 'notes' ? `${SYNC_PREFIX}notes/${ref.packetId}` : `${SYNC_PREFIX}shared/${ref.groupId}/${ref.packetId}`;
}

/** The room name y-websocket's WebsocketProvider needs, given a server URL ending in /sync. */
export function providerRoomName(ref: RoomRef): string {
  return syncPath(ref).slice(SYNC_PREFIX.length);
}

/** The durable name of a room. The user id comes from the authenticated token. */
export function storageName(ref: RoomRef, userId: string): string {
  return ref.kind === 'notes' ? `notes/${userId}/${ref.packetId}` : `shared/${ref.groupId}/${ref.packetId}`;
}

/** A stored room of either kind, read back from its durable name. */
export type StoredRoom = { kind: 'notes'; userId: string; packetId: string } | { kind: 'shared'; groupId: string; packetId: string };

/** The inverse of storageName: null when `name` is not the storage name of a room. */
export function parseStorageName(name: string): StoredRoom | null {
  const parts = name.split('/');
  if (parts.length !== 3 || !isId(parts[1]) || !isId(parts[2])) return null;
  if (parts[0] === RoomKind.notes) return { kind: 'notes', userId: parts[1], packetId: parts[2] };
  if (parts[0] === RoomKind.shared) return { kind: 'shared', groupId: parts[1], packetId: parts[2] };
  return null;
}
