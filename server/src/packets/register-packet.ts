/**
 * POST /api/packets: maps what a client knows about an open document to a stable packetId.
 * A known fingerprint is the same version; a new fingerprint on a known URL or content hash is a
 * new version of that packet (its notes carry over by re-anchoring); otherwise a new packet.
 */

import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { agendaAlias, contentHashAlias, fingerprintUrn, urlAlias } from '@randnoter/shared/identity/packet-identity';
import type { Kysely } from 'kysely';
import { addAliases, addVersion, insertPacket, packetIdByAlias, updatePacketInfo, versionsOf } from '../storage/packets.ts';
import type { Database } from '../storage/schema.ts';
import type { PacketRegistration } from './parse-registration.ts';

export interface RegisteredPacket {
  packetId: string;
  created: boolean;
  newVersion: boolean;
  version: string;
  versions: Array<{ version: string; firstSeen: string; pageCount: number | null }>;
}

export async function registerPacket(
  db: Kysely<Database>,
  input: PacketRegistration,
  now: string,
  newId: () => string,
): Promise<RegisteredPacket> {
  const version = fingerprintUrn(input.fingerprint);
  const normalised = input.url ? normaliseUrl(input.url) : null;
  const agenda = agendaAlias(input.meetingDate, input.outline?.items.map((i) => i.title) ?? []);
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
