/**
 * POST /api/packets: maps what a client knows about an open document to a stable packetId.
 * A known fingerprint is the same version; a new fingerprint on a known URL, content hash or
 * meeting agenda is a new version of that packet (its notes carry over by re-anchoring);
 * otherwise a new packet, named after its first version.
 *
 * "Known" means known to the caller: an alias is looked up among the caller's own registrations,
 * then (for packets registered before migration 0003 and on which the caller has a room) the old
 * shared aliases, then the registrations of people who share a group with the caller, so that
 * colleagues opening a republished version land on one packet. A stranger's registrations are
 * never consulted: they cannot decide which packet an address names for anyone else, and the
 * answer cannot tell the caller whether anyone else opened it. What the registration stores
 * (title, outline, …) is the caller's own, see packet-view.ts.
 */

import { trustedOutline } from '@randnoter/shared/agenda/outline';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { agendaAlias, contentHashAlias, fingerprintUrn, urlAlias } from '@randnoter/shared/identity/packet-identity';
import type { RegisteredPacket } from '@randnoter/shared/protocol/http-api';
import type { PacketRegistration } from '@randnoter/shared/protocol/packet-registration';
import type { Kysely } from 'kysely';
import {
  type AliasClaim,
  addAliasClaims,
  aliasClaims,
  ensurePacket,
  insertRegistration,
  legacyAliases,
  registrationsOf,
  updateRegistration,
} from '../storage/packets.ts';
import type { Database } from '../storage/schema.ts';

export interface Caller {
  userId: string;
  /** Whether the caller has a room on a packet; asked only for packets registered before migration 0003. */
  hasRoom: (packetId: string) => Promise<boolean>;
}

/** Every alias of the registration, strongest first: this exact version, its address, its bytes, the meeting it is for. */
function aliasesOf(input: PacketRegistration): string[] {
  const normalised = input.url ? normaliseUrl(input.url) : null;
  // A guessed agenda does not name the meeting: its titles may be wrong.
  const agenda = agendaAlias(input.meetingDate, trustedOutline(input.outline ?? undefined)?.items.map((i) => i.title) ?? []);
  return [
    fingerprintUrn(input.fingerprint),
    ...(normalised ? [urlAlias(normalised)] : []),
    ...(input.contentHash ? [contentHashAlias(input.contentHash)] : []),
    ...(agenda ? [agenda] : []),
  ];
}

/**
 * The caller's own claim on the strongest alias; else a colleague's, strongest alias first and,
 * for one alias, the earliest claim (so that the whole group keeps landing where the first of
 * them landed).
 */
function pick(claims: readonly AliasClaim[], aliases: readonly string[], own: boolean): string | undefined {
  for (const alias of aliases) {
    const candidates = claims
      .filter((c) => c.alias === alias && c.own === own)
      .sort((a, b) => (a.created === b.created ? a.packetId.localeCompare(b.packetId) : a.created < b.created ? -1 : 1));
    if (candidates[0]) return candidates[0].packetId;
  }
  return undefined;
}

/** The packet an old shared alias names, if the caller has a room on it (else it would tell them someone registered it). */
async function legacyPacket(db: Kysely<Database>, caller: Caller, aliases: readonly string[]): Promise<string | undefined> {
  const known = await legacyAliases(db, aliases);
  for (const alias of aliases) {
    const packetId = known.get(alias);
    if (packetId !== undefined && (await caller.hasRoom(packetId))) return packetId;
  }
  return undefined;
}

export async function registerPacket(
  db: Kysely<Database>,
  caller: Caller,
  input: PacketRegistration,
  now: string,
  newId: () => string,
): Promise<RegisteredPacket> {
  const version = fingerprintUrn(input.fingerprint);
  const aliases = aliasesOf(input);
  // Before the transaction: the old aliases are never written, and the room check reads documents.
  const legacy = await legacyPacket(db, caller, aliases);
  return db.transaction().execute(async (trx) => {
    const claims = await aliasClaims(trx, caller.userId, aliases);
    const packetId = pick(claims, aliases, true) ?? legacy ?? pick(claims, aliases, false) ?? newId();
    await ensurePacket(trx, packetId, now);
    const mine = await registrationsOf(trx, caller.userId, [packetId]);
    const known = mine.find((r) => r.version === version);
    const outline = input.outline === null ? null : JSON.stringify(input.outline);
    if (known) {
      // The caller's own earlier words about this version; what this registration leaves out stays.
      await updateRegistration(trx, known, {
        last_seen: now,
        ...(input.title ? { title: input.title } : {}),
        ...(input.meetingDate !== null ? { meeting_date: input.meetingDate } : {}),
        ...(input.pageCount !== null ? { page_count: input.pageCount } : {}),
        ...(outline !== null ? { outline } : {}),
      });
    } else {
      await insertRegistration(trx, {
        user_id: caller.userId,
        packet_id: packetId,
        version,
        first_seen: now,
        last_seen: now,
        title: input.title,
        meeting_date: input.meetingDate,
        page_count: input.pageCount,
        outline,
      });
    }
    await addAliasClaims(trx, caller.userId, packetId, aliases, now);
    const versions = (await registrationsOf(trx, caller.userId, [packetId])).map((r) => ({
      version: r.version,
      firstSeen: r.first_seen,
      pageCount: r.page_count,
    }));
    return { packetId, created: mine.length === 0, newVersion: mine.length > 0 && !known, version, versions };
  });
}
