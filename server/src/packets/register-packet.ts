/**
 * POST /api/packets: maps what a client knows about an open document to a stable packetId.
 * A known fingerprint is the same version; a new fingerprint on a known URL or content hash is a
 * new version of that packet (its notes carry over by re-anchoring); otherwise a new packet.
 */

import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { agendaAlias, contentHashAlias, fingerprintUrn, urlAlias } from '@randnoter/shared/identity/packet-identity';
import { fail, ok, type Result } from '@randnoter/shared/model/result';
import type { Kysely } from 'kysely';
import { addAliases, addVersion, insertPacket, packetIdByAlias, updatePacketInfo, versionsOf } from '../storage/packets.ts';
import type { Database } from '../storage/schema.ts';

export interface PacketRegistration {
  fingerprint: string;
  url: string | null;
  contentHash: string | null;
  title: string;
  pageCount: number | null;
  meetingDate: string | null;
  outline: unknown;
}

export interface RegisteredPacket {
  packetId: string;
  created: boolean;
  newVersion: boolean;
  version: string;
  versions: Array<{ version: string; firstSeen: string; pageCount: number | null }>;
}

const FINGERPRINT = /^[0-9a-fA-F]{16,64}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRegistration(v: unknown): Result<PacketRegistration> {
  if (typeof v !== 'object' || v === null) return fail('expected a JSON object');
  const r = v as Record<string, unknown>;
  if (typeof r.fingerprint !== 'string' || !FINGERPRINT.test(r.fingerprint)) return fail('fingerprint must be the PDF fingerprint (hex)');
  if (r.url !== undefined && r.url !== null && (typeof r.url !== 'string' || r.url.length > 4096)) return fail('url must be text');
  if (r.contentHash !== undefined && r.contentHash !== null && (typeof r.contentHash !== 'string' || !SHA256.test(r.contentHash))) {
    return fail('contentHash must be a sha256 in hex');
  }
  if (r.title !== undefined && (typeof r.title !== 'string' || r.title.length > 1000)) return fail('title must be short text');
  if (r.pageCount !== undefined && r.pageCount !== null && (!Number.isInteger(r.pageCount) || (r.pageCount as number) < 1)) {
    return fail('pageCount must be a positive integer');
  }
  if (r.meetingDate !== undefined && r.meetingDate !== null && (typeof r.meetingDate !== 'string' || !DATE.test(r.meetingDate))) {
    return fail('meetingDate must be YYYY-MM-DD');
  }
  const outline = r.outline ?? null;
  if (outline !== null && JSON.stringify(outline).length > 1_000_000) return fail('outline is too large');
  return ok({
    fingerprint: r.fingerprint.toLowerCase(),
    url: typeof r.url === 'string' ? r.url : null,
    contentHash: typeof r.contentHash === 'string' ? r.contentHash : null,
    title: typeof r.title === 'string' ? r.title : '',
    pageCount: (r.pageCount as number | undefined) ?? null,
    meetingDate: (r.meetingDate as string | undefined) ?? null,
    outline,
  });
}

/** Item titles of a client-sent outline (untrusted JSON, so read defensively). */
function itemTitles(outline: unknown): string[] {
  const items = (outline as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => (typeof (item as { title?: unknown })?.title === 'string' ? [(item as { title: string }).title] : []));
}

export async function registerPacket(
  db: Kysely<Database>,
  input: PacketRegistration,
  now: string,
  newId: () => string,
): Promise<RegisteredPacket> {
  const version = fingerprintUrn(input.fingerprint);
  const normalised = input.url ? normaliseUrl(input.url) : null;
  const agenda = agendaAlias(input.meetingDate, itemTitles(input.outline));
  // Strongest first: this exact version, its address, its bytes, then the meeting it is for.
  const aliases = [
    version,
    ...(normalised ? [urlAlias(normalised)] : []),
    ...(input.contentHash ? [contentHashAlias(input.contentHash)] : []),
    ...(agenda ? [agenda] : []),
  ];
  return db.transaction().execute(async (trx) => {
    let packetId = await packetIdByAlias(trx, aliases);
    const created = packetId === undefined;
    if (!packetId) {
      packetId = newId();
      await insertPacket(trx, {
        id: packetId,
        title: input.title,
        created: now,
        meeting_date: input.meetingDate,
        page_count: input.pageCount,
        outline: input.outline === null ? null : JSON.stringify(input.outline),
      });
    }
    await addAliases(trx, packetId, aliases);
    const newVersion = (await addVersion(trx, packetId, version, input.pageCount, now)) && !created;
    if (newVersion) {
      // The latest version's outline and page count describe the packet from now on.
      await updatePacketInfo(trx, packetId, {
        page_count: input.pageCount,
        ...(input.outline !== null ? { outline: JSON.stringify(input.outline) } : {}),
        ...(input.title ? { title: input.title } : {}),
      });
    }
    return { packetId, created, newVersion, version, versions: await versionsOf(trx, packetId) };
  });
}
