import type { Kysely } from 'kysely';
import type { Database, PacketsTable } from './schema.ts';

export async function packetIdByAlias(db: Kysely<Database>, aliases: readonly string[]): Promise<string | undefined> {
  if (aliases.length === 0) return undefined;
  // Aliases are given strongest first (fingerprint, URL, content hash): keep that order.
  const rows = await db.selectFrom('packet_aliases').select(['alias', 'packet_id']).where('alias', 'in', aliases).execute();
  for (const alias of aliases) {
    const row = rows.find((r) => r.alias === alias);
    if (row) return row.packet_id;
  }
  return undefined;
}

export async function insertPacket(db: Kysely<Database>, packet: PacketsTable): Promise<void> {
  await db.insertInto('packets').values(packet).execute();
}

export async function findPacket(db: Kysely<Database>, id: string): Promise<PacketsTable | undefined> {
  return db.selectFrom('packets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function addAliases(db: Kysely<Database>, packetId: string, aliases: readonly string[]): Promise<void> {
  if (aliases.length === 0) return;
  await db
    .insertInto('packet_aliases')
    .values(aliases.map((alias) => ({ alias, packet_id: packetId })))
    .onConflict((oc) => oc.column('alias').doNothing())
    .execute();
}

/** Returns whether the version was new. */
export async function addVersion(
  db: Kysely<Database>,
  packetId: string,
  version: string,
  pageCount: number | null,
  now: string,
): Promise<boolean> {
  const r = await db
    .insertInto('packet_versions')
    .values({ packet_id: packetId, version, first_seen: now, page_count: pageCount })
    .onConflict((oc) => oc.columns(['packet_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function versionsOf(
  db: Kysely<Database>,
  packetId: string,
): Promise<Array<{ version: string; firstSeen: string; pageCount: number | null }>> {
  const rows = await db
    .selectFrom('packet_versions')
    .select(['version', 'first_seen', 'page_count'])
    .where('packet_id', '=', packetId)
    .orderBy('first_seen')
    .execute();
  return rows.map((r) => ({ version: r.version, firstSeen: r.first_seen, pageCount: r.page_count }));
}

export async function updatePacketInfo(
  db: Kysely<Database>,
  id: string,
  info: Partial<Pick<PacketsTable, 'title' | 'meeting_date' | 'page_count' | 'outline'>>,
): Promise<void> {
  if (Object.keys(info).length === 0) return;
  await db.updateTable('packets').set(info).where('id', '=', id).execute();
}

export async function findPackets(db: Kysely<Database>, ids: readonly string[]): Promise<PacketsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('packets').selectAll().where('id', 'in', ids).execute();
}

export async function versionsOfMany(
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
