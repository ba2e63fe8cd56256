/**
 * GET /api/packets: the packets a user has something in: their own notes room, or a shared room
 * of one of their groups. A room can exist before its packet is registered (offline clients use
 * a fingerprint-derived id first); such packets are listed with what is known: no title, no versions.
 */
import { ID_PATTERN } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { DocStore } from '../storage/doc-store.ts';
import { findPackets, versionsOfMany } from '../storage/packets.ts';
import type { Database, Group } from '../storage/schema.ts';

export type PacketRoom = { kind: 'notes' } | { kind: 'shared'; groupId: string; groupName: string };

export interface PacketSummary {
  packetId: string;
  registered: boolean;
  title: string | null;
  meetingDate: string | null;
  pageCount: number | null;
  versions: Array<{ version: string; firstSeen: string; pageCount: number | null }>;
  rooms: PacketRoom[];
}

export async function listPacketsOf(
  db: Kysely<Database>,
  docs: Pick<DocStore, 'listRooms'>,
  userId: string,
  groups: readonly Group[],
): Promise<PacketSummary[]> {
  const rooms = new Map<string, PacketRoom[]>();
  const add = (packetId: string, room: PacketRoom) => {
    if (!ID_PATTERN.test(packetId)) return;
    rooms.set(packetId, [...(rooms.get(packetId) ?? []), room]);
  };
  const notesPrefix = `notes/${userId}/`;
  for (const name of await docs.listRooms(notesPrefix)) add(name.slice(notesPrefix.length), { kind: 'notes' });
  for (const group of groups) {
    const prefix = `shared/${group.id}/`;
    for (const name of await docs.listRooms(prefix))
      add(name.slice(prefix.length), { kind: 'shared', groupId: group.id, groupName: group.name });
  }
  const ids = [...rooms.keys()];
  const packets = new Map((await findPackets(db, ids)).map((p) => [p.id, p]));
  const versions = await versionsOfMany(db, ids);
  const list = ids.map((packetId): PacketSummary & { created: string } => {
    const packet = packets.get(packetId);
    return {
      packetId,
      registered: packet !== undefined,
      title: packet?.title ?? null,
      meetingDate: packet?.meeting_date ?? null,
      pageCount: packet?.page_count ?? null,
      versions: versions.get(packetId) ?? [],
      rooms: rooms.get(packetId) ?? [],
      created: packet?.created ?? '',
    };
  });
  // Newest packets first; unregistered ones last.
  list.sort((a, b) => (a.created === b.created ? a.packetId.localeCompare(b.packetId) : a.created < b.created ? 1 : -1));
  return list.map(({ created: _created, ...summary }) => summary);
}
