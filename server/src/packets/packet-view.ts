/**
 * What a user sees of a packet: its title, meeting date, page count, agenda outline and versions,
 * as the packet list, the registration answer, the export and the W3C collections show them.
 *
 * The rule (docs/SECURITY.md, "A signed-in user: packet metadata"):
 * 1. the user's own registrations: the newest version they registered describes the packet (a
 *    field it lacks is taken from their older ones), and `versions` are the versions they
 *    registered, with when they first did;
 * 2. else, for a packet registered before migration 0003 and only for a user who has a room on
 *    it (their notes, or a shared room of one of their groups), what was registered then;
 * 3. else nothing: no title, no outline, no versions. A colleague's registration is not shown: a
 *    member of a group who never opened the packet exports the group's comments by page.
 * Nobody's registration changes what another user sees, and nothing tells a user who else
 * registered a packet, or when.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { parseStoredOutline } from '@randnoter/shared/agenda/parse-outline';
import type { PacketVersion } from '@randnoter/shared/protocol/http-api';
import { storageName } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { DocStore } from '../storage/doc-store.ts';
import { findPackets, legacyVersionsOf, type Registration, registrationsOf } from '../storage/packets.ts';
import type { Database, Group, PacketsTable } from '../storage/schema.ts';

export interface PacketView {
  /** Whether the view has anything from a registration (rules 1 and 2). */
  registered: boolean;
  title: string | null;
  meetingDate: string | null;
  pageCount: number | null;
  outline: AgendaOutline | undefined;
  /** Oldest first. */
  versions: PacketVersion[];
  /** When the user first registered it (rule 1) or it was registered (rule 2); for ordering lists. */
  since: string | null;
}

const NOTHING_KNOWN: PacketView = {
  registered: false,
  title: null,
  meetingDate: null,
  pageCount: null,
  outline: undefined,
  versions: [],
  since: null,
};

/** The newest non-empty value of a field over the user's registrations, newest version first. */
function newest<T>(rows: readonly Registration[], pick: (r: Registration) => T | null | ''): T | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = pick(rows[i] as Registration);
    if (value !== null && value !== '') return value as T;
  }
  return null;
}

function fromOwn(rows: readonly Registration[]): PacketView {
  const outline = newest(rows, (r) => r.outline);
  return {
    registered: true,
    title: newest(rows, (r) => r.title),
    meetingDate: newest(rows, (r) => r.meeting_date),
    pageCount: rows.at(-1)?.page_count ?? null,
    outline: parseStoredOutline(outline),
    versions: rows.map((r) => ({ version: r.version, firstSeen: r.first_seen, pageCount: r.page_count })),
    since: rows[0]?.first_seen ?? null,
  };
}

function fromLegacy(packet: PacketsTable | undefined, versions: PacketVersion[]): PacketView | null {
  if (!packet || (packet.title === '' && packet.outline === null && versions.length === 0)) return null;
  return {
    registered: true,
    title: packet.title || null,
    meetingDate: packet.meeting_date,
    pageCount: packet.page_count,
    outline: parseStoredOutline(packet.outline),
    versions,
    since: packet.created,
  };
}

/**
 * The user's view of each packet. `hasRoom` is asked only for packets the user never registered
 * that were registered before migration 0003.
 */
export async function packetViews(
  db: Kysely<Database>,
  userId: string,
  packetIds: readonly string[],
  hasRoom: (packetId: string) => Promise<boolean>,
): Promise<Map<string, PacketView>> {
  const own = new Map<string, Registration[]>();
  for (const row of await registrationsOf(db, userId, packetIds)) own.set(row.packet_id, [...(own.get(row.packet_id) ?? []), row]);
  const others = packetIds.filter((id) => !own.has(id));
  const legacyPackets = new Map((await findPackets(db, others)).map((p) => [p.id, p]));
  const legacyVersions = await legacyVersionsOf(db, others);
  const views = new Map<string, PacketView>();
  for (const id of packetIds) {
    const mine = own.get(id);
    if (mine) {
      views.set(id, fromOwn(mine));
      continue;
    }
    const legacy = fromLegacy(legacyPackets.get(id), legacyVersions.get(id) ?? []);
    views.set(id, legacy && (await hasRoom(id)) ? legacy : NOTHING_KNOWN);
  }
  return views;
}

export async function packetView(
  db: Kysely<Database>,
  userId: string,
  packetId: string,
  hasRoom: (packetId: string) => Promise<boolean>,
): Promise<PacketView> {
  return (await packetViews(db, userId, [packetId], hasRoom)).get(packetId) ?? NOTHING_KNOWN;
}

/** Whether the user has notes on the packet, or one of their groups a shared room with content. */
export function roomCheck(
  docs: Pick<DocStore, 'listRooms'>,
  userId: string,
  groups: readonly Group[],
): (packetId: string) => Promise<boolean> {
  const exists = async (name: string) => (await docs.listRooms(name)).includes(name);
  return async (packetId) => {
    if (await exists(storageName({ kind: 'notes', packetId }, userId))) return true;
    for (const group of groups) {
      if (await exists(storageName({ kind: 'shared', groupId: group.id, packetId }, userId))) return true;
    }
    return false;
  };
}

/** What a W3C annotation's target names when a note does not say which version it was made on. */
export function sourceOf(view: PacketView, packetId: string): string {
  return view.versions.at(-1)?.version ?? `urn:randnoter:packet:${packetId}`;
}
