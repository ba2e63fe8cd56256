/**
 * GET /api/packets: the packets a user has something in: their own notes room, or a shared room
 * of one of their groups, each as the user sees it (packet-view.ts: from their own registrations).
 * A room can exist before its packet is registered (offline clients use a fingerprint-derived id
 * first), or the user may have it only through a group; such packets are listed with what is
 * known: no title, no versions.
 */

import { ID_PATTERN } from '@randnoter/shared/identity/ids';
import type { PacketRoom, PacketSummary } from '@randnoter/shared/protocol/http-api';
import type { Kysely } from 'kysely';
import type { DocStore } from '../storage/doc-store.ts';
import type { Database, Group } from '../storage/schema.ts';
import { packetViews } from './packet-view.ts';

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
  // Every packet listed here is one the user has a room on.
  const views = await packetViews(db, userId, ids, async () => true);
  const list = ids.map((packetId): PacketSummary & { since: string } => {
    const view = views.get(packetId);
    return {
      packetId,
      registered: view?.registered ?? false,
      title: view?.title ?? null,
      meetingDate: view?.meetingDate ?? null,
      pageCount: view?.pageCount ?? null,
      versions: view?.versions ?? [],
      rooms: rooms.get(packetId) ?? [],
      since: view?.since ?? '',
    };
  });
  // Newest packets first (by when the user registered them); unregistered ones last.
  list.sort((a, b) => (a.since === b.since ? a.packetId.localeCompare(b.packetId) : a.since < b.since ? 1 : -1));
  return list.map(({ since: _since, ...summary }) => summary);
}
