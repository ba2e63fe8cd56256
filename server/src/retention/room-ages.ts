/** What retention needs to know of every packet's rooms: their packet's meeting date and their last activity. */
import { parseStorageName } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { DocStore } from '../storage/doc-store.ts';
import type { Database } from '../storage/schema.ts';
import type { RoomAge } from './retention-policy.ts';

const PREFIXES = ['notes/', 'shared/', 'closed/'] as const;

const later = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
};

export async function roomAges(db: Kysely<Database>, docs: Pick<DocStore, 'listRooms'>): Promise<RoomAge[]> {
  const names: string[] = [];
  for (const prefix of PREFIXES) names.push(...(await docs.listRooms(prefix)));
  if (names.length === 0) return [];
  // Per packet: the meeting date its registrations name (the latest, for a packet registered in
  // several versions), and when it was last registered.
  const registrations = await db
    .selectFrom('packet_registrations')
    .select(['packet_id', (eb) => eb.fn.max('meeting_date').as('meeting_date'), (eb) => eb.fn.max('last_seen').as('last_seen')])
    .groupBy('packet_id')
    .execute();
  const packets = new Map<string, { meetingDate: string | null; lastSeen: string | null }>(
    registrations.map((r) => [r.packet_id, { meetingDate: r.meeting_date ?? null, lastSeen: r.last_seen ?? null }]),
  );
  // Packets registered before migration 0003 kept their meeting date here.
  for (const p of await db.selectFrom('packets').select(['id', 'meeting_date']).where('meeting_date', 'is not', null).execute()) {
    const known = packets.get(p.id);
    packets.set(p.id, { meetingDate: later(known?.meetingDate, p.meeting_date), lastSeen: known?.lastSeen ?? null });
  }
  const snapshots = new Map((await db.selectFrom('doc_snapshots').select(['room', 'updated']).execute()).map((r) => [r.room, r.updated]));
  const ages: RoomAge[] = [];
  for (const room of names) {
    const parsed = parseStorageName(room);
    if (!parsed) continue;
    const packet = packets.get(parsed.packetId);
    ages.push({
      room,
      packetId: parsed.packetId,
      groupId: parsed.kind === 'notes' ? null : parsed.groupId,
      meetingDate: packet?.meetingDate ?? null,
      lastActivity: later(snapshots.get(room), packet?.lastSeen),
    });
  }
  return ages;
}
