/**
 * Room names: what clients connect to, and what the server stores.
 *
 *   client path                          storage name
 *   /sync/notes/<packetId>          ->   notes/<userId>/<packetId>   (userId from the token, never from the client)
 *   /sync/shared/<groupId>/<packetId> -> shared/<groupId>/<packetId>
 *   /sync/closed/<groupId>/<packetId>/<itemNumber> -> closed/<groupId>/<packetId>/<itemNumber>
 *                                        (a closed agenda item's comments: docs/CLOSED-ITEMS.md)
 *
 * Ids are matched against the raw, undecoded path, so no encoding trick (%2F, .., unicode)
 * can name another room: anything outside the pattern is simply not a room.
 */
import { ID_PATTERN } from '../identity/ids.ts';

const RoomKind = { notes: 'notes', shared: 'shared', closed: 'closed' } as const;

/** A closed agenda item's room: the group's comments on that item, apart from its open room. */
export interface ClosedRoomRef {
  kind: 'closed';
  groupId: string;
  packetId: string;
  itemNumber: number;
}

export type RoomRef = { kind: 'notes'; packetId: string } | { kind: 'shared'; groupId: string; packetId: string } | ClosedRoomRef;

export const SYNC_PREFIX = '/sync/';

export function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** An agenda item's number as it appears in a room name or a path: decimal, no leading zero, so one item has one name. */
const ITEM_NUMBER = /^(0|[1-9][0-9]{0,5})$/;

/** The item number a path segment names, or null. */
export function parseItemNumber(segment: string | undefined): number | null {
  return segment !== undefined && ITEM_NUMBER.test(segment) ? Number(segment) : null;
}

function closedRef(groupId: string | undefined, packetId: string | undefined, item: string | undefined): ClosedRoomRef | null {
  const itemNumber = parseItemNumber(item);
  return isId(groupId) && isId(packetId) && itemNumber !== null ? { kind: 'closed', groupId, packetId, itemNumber } : null;
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
  if (parts[0] === RoomKind.closed && parts.length === 4) return closedRef(parts[1], parts[2], parts[3]);
  return null;
}

/** The path a client connects to (y-websocket appends the room name to the server URL). */
export function syncPath(ref: RoomRef): string {
  if (ref.kind === 'notes') return `${SYNC_PREFIX}notes/${ref.packetId}`;
  if (ref.kind === 'shared') return `${SYNC_PREFIX}shared/${ref.groupId}/${ref.packetId}`;
  return `${SYNC_PREFIX}closed/${ref.groupId}/${ref.packetId}/${ref.itemNumber}`;
}

/** The room name y-websocket's WebsocketProvider needs, given a server URL ending in /sync. */
export function providerRoomName(ref: RoomRef): string {
  return syncPath(ref).slice(SYNC_PREFIX.length);
}

/** The durable name of a room. The user id comes from the authenticated token. */
export function storageName(ref: RoomRef, userId: string): string {
  if (ref.kind === 'notes') return `notes/${userId}/${ref.packetId}`;
  // The same as the sync path: neither holds anything of the user's.
  return syncPath(ref).slice(SYNC_PREFIX.length);
}

/** A stored room of any kind, read back from its durable name. */
export type StoredRoom =
  | { kind: 'notes'; userId: string; packetId: string }
  | { kind: 'shared'; groupId: string; packetId: string }
  | ClosedRoomRef;

/** The inverse of storageName: null when `name` is not the storage name of a room. */
export function parseStorageName(name: string): StoredRoom | null {
  const parts = name.split('/');
  if (parts[0] === RoomKind.closed && parts.length === 4) return closedRef(parts[1], parts[2], parts[3]);
  if (parts.length !== 3 || !isId(parts[1]) || !isId(parts[2])) return null;
  if (parts[0] === RoomKind.notes) return { kind: 'notes', userId: parts[1], packetId: parts[2] };
  if (parts[0] === RoomKind.shared) return { kind: 'shared', groupId: parts[1], packetId: parts[2] };
  return null;
}
