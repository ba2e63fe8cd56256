/**
 * The packet registry's tables. Since migration 0003 everything a registration writes is the
 * caller's own (`packet_registrations`, `packet_user_aliases`); `packet_aliases`,
 * `packet_versions` and the metadata columns of `packets` are only read, as what was registered
 * before (see migrations/0003-packet-registrations.ts).
 */
import type { Kysely } from 'kysely';
import type { Database, PacketRegistrationsTable, PacketsTable } from './schema.ts';

export interface AliasClaim {
  alias: string;
  packetId: string;
  /** Whether the caller made the claim (else a member of one of the caller's groups did). */
  own: boolean;
  created: string;
}

/**
 * Claims on `aliases` made by the user or by anyone who shares a group with them. A stranger's
 * claims are never read, so they cannot decide which packet an alias names for this user.
 */
export async function aliasClaims(db: Kysely<Database>, userId: string, aliases: readonly string[]): Promise<AliasClaim[]> {
  if (aliases.length === 0) return [];
  const rows = await db
    .selectFrom('packet_user_aliases')
    .select(['user_id', 'alias', 'packet_id', 'created'])
    .where('alias', 'in', aliases)
    .where((eb) =>
      eb.or([
        eb('user_id', '=', userId),
        eb(
          'user_id',
          'in',
          eb
            .selectFrom('memberships as mine')
            .innerJoin('memberships as theirs', 'theirs.group_id', 'mine.group_id')
            .select('theirs.user_id')
            .where('mine.user_id', '=', userId),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => ({ alias: r.alias, packetId: r.packet_id, own: r.user_id === userId, created: r.created }));
}

/** Aliases from before migration 0003, shared by all users (frozen: nothing writes them any more). */
export async function legacyAliases(db: Kysely<Database>, aliases: readonly string[]): Promise<Map<string, string>> {
  if (aliases.length === 0) return new Map();
  const rows = await db.selectFrom('packet_aliases').select(['alias', 'packet_id']).where('alias', 'in', aliases).execute();
  return new Map(rows.map((r) => [r.alias, r.packet_id]));
}

/** The user's claims; an alias they already gave another packet keeps naming that one. */
export async function addAliasClaims(
  db: Kysely<Database>,
  userId: string,
  packetId: string,
  aliases: readonly string[],
  now: string,
): Promise<void> {
  if (aliases.length === 0) return;
  await db
    .insertInto('packet_user_aliases')
    .values(aliases.map((alias) => ({ user_id: userId, alias, packet_id: packetId, created: now })))
    .onConflict((oc) => oc.columns(['user_id', 'alias']).doNothing())
    .execute();
}

/** Makes `id` a registered packet id (it may be one already: ids are named after a first version). */
export async function ensurePacket(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db
    .insertInto('packets')
    .values({ id, title: '', created: now, meeting_date: null, page_count: null, outline: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export type Registration = PacketRegistrationsTable;

/** The user's registrations of these packets, oldest version first. */
export async function registrationsOf(db: Kysely<Database>, userId: string, packetIds: readonly string[]): Promise<Registration[]> {
  if (packetIds.length === 0) return [];
  return db
    .selectFrom('packet_registrations')
    .selectAll()
    .where('user_id', '=', userId)
    .where('packet_id', 'in', packetIds)
    .orderBy('first_seen')
    .orderBy('version')
    .execute();
}

export async function insertRegistration(db: Kysely<Database>, registration: Registration): Promise<void> {
  await db
    .insertInto('packet_registrations')
    .values(registration)
    .onConflict((oc) => oc.columns(['user_id', 'packet_id', 'version']).doNothing())
    .execute();
}

/** The user registered a version again: what this registration says replaces what they said before. */
export async function updateRegistration(
  db: Kysely<Database>,
  key: Pick<Registration, 'user_id' | 'packet_id' | 'version'>,
  changes: Partial<Pick<Registration, 'last_seen' | 'title' | 'meeting_date' | 'page_count' | 'outline'>>,
): Promise<void> {
  await db
    .updateTable('packet_registrations')
    .set(changes)
    .where('user_id', '=', key.user_id)
    .where('packet_id', '=', key.packet_id)
    .where('version', '=', key.version)
    .execute();
}

export async function findPackets(db: Kysely<Database>, ids: readonly string[]): Promise<PacketsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('packets').selectAll().where('id', 'in', ids).execute();
}

/** Versions registered before migration 0003, by anyone, oldest first. */
export async function legacyVersionsOf(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Array<{ version: string; firstSeen: string; pageCount: number | null }>>> {
  const out = new Map<string, Array<{ version: string; firstSeen: string; pageCount: number | null }>>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('packet_versions')
    .select(['packet_id', 'version', 'first_seen', 'page_count'])
    .where('packet_id', 'in', ids)
    .orderBy('first_seen')
    .execute();
  for (const r of rows) {
    const list = out.get(r.packet_id) ?? [];
    list.push({ version: r.version, firstSeen: r.first_seen, pageCount: r.page_count });
    out.set(r.packet_id, list);
  }
  return out;
}
