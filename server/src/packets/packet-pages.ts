/**
 * How many pages a packet has, as the caller registered it: what bounds the pages of an agenda
 * correction they send (agenda-routes.ts). The server has no copy of the PDF; the caller's own
 * registration of the version they corrected is the best it knows, and no one else's counts.
 */
import { parseStoredOutline } from '@randnoter/shared/agenda/parse-outline';
import type { Kysely } from 'kysely';
import { type Registration, registrationsOf } from '../storage/packets.ts';
import type { Database } from '../storage/schema.ts';

export type PacketPages = { ok: true; pages: number; version: string } | { ok: false; error: string };

const pagesOf = (row: Registration): number | null => row.page_count ?? parseStoredOutline(row.outline)?.pages ?? null;

/** The page count of `version` (or of the newest version the caller registered, when none is named). */
export async function registeredPages(db: Kysely<Database>, userId: string, packetId: string, version?: string): Promise<PacketPages> {
  const rows = await registrationsOf(db, userId, [packetId]);
  if (rows.length === 0)
    return { ok: false, error: 'the server does not know how many pages this packet has: register it first (POST /api/packets)' };
  const row = version === undefined ? rows.at(-1) : rows.find((r) => r.version === version);
  if (!row) return { ok: false, error: 'version is not a version of this packet you have registered (POST /api/packets)' };
  const pages = pagesOf(row);
  if (pages === null)
    return { ok: false, error: 'the server does not know how many pages this version has: register it with its pageCount' };
  return { ok: true, pages, version: row.version };
}
