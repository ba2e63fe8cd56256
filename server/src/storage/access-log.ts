/**
 * The access log (migration 0009, docs/OPERATIONS.md "Access log"): who opened which group's room
 * and who exported what. Plain functions taking `db` first. Rows hold ids, a kind of access and a
 * format, never note text.
 */
import type { Kysely } from 'kysely';
import type { AccessAction, AccessVia, Database } from './schema.ts';

export interface AccessEntry {
  /** ISO time. */
  at: string;
  userId: string;
  action: AccessAction;
  via: AccessVia;
  groupId: string | null;
  packetId: string | null;
  /** A closed item's room: its number; null for a group's open room, and for own-data exports. */
  itemNumber: number | null;
  /** An export's format; null otherwise. */
  detail: string | null;
}

/** What `admin access-log` and the own-data export ask for; absent: any. */
export interface AccessQuery {
  userId?: string;
  groupId?: string;
  /** ISO time: entries at or after it. */
  since?: string;
  /** Entries after this one (in the order below): the next page. */
  after?: { at: string; id: number };
  /** At most this many, oldest first. */
  limit?: number;
}

/** An entry as stored: with its row id, which orders entries of the same time. */
export type StoredAccessEntry = AccessEntry & { id: number };

/** Rows one insert statement carries: well under SQLite's 32,766 bound variables (8 per row). */
const ROWS_PER_INSERT = 500;

export async function insertAccessEntries(db: Kysely<Database>, entries: readonly AccessEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const rows = entries.slice(i, i + ROWS_PER_INSERT).map((e) => ({
      at: e.at,
      user_id: e.userId,
      action: e.action,
      via: e.via,
      group_id: e.groupId,
      packet_id: e.packetId,
      item_number: e.itemNumber,
      detail: e.detail,
    }));
    await db.insertInto('access_log').values(rows).execute();
  }
}

/** Entries matching `query`, oldest first (by time, then by the order they were written). */
export async function accessEntries(db: Kysely<Database>, query: AccessQuery): Promise<StoredAccessEntry[]> {
  let select = db
    .selectFrom('access_log')
    .select(['id', 'at', 'user_id', 'action', 'via', 'group_id', 'packet_id', 'item_number', 'detail']);
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.groupId !== undefined) select = select.where('group_id', '=', query.groupId);
  if (query.since !== undefined) select = select.where('at', '>=', query.since);
  const after = query.after;
  if (after !== undefined)
    select = select.where((eb) => eb.or([eb('at', '>', after.at), eb.and([eb('at', '=', after.at), eb('id', '>', after.id)])]));
  select = select.orderBy('at').orderBy('id');
  if (query.limit !== undefined) select = select.limit(query.limit);
  const rows = await select.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    userId: r.user_id,
    action: r.action,
    via: r.via,
    groupId: r.group_id,
    packetId: r.packet_id,
    itemNumber: r.item_number,
    detail: r.detail,
  }));
}

/** Removes the entries from before `before` (ISO time); how many. */
export async function pruneAccessLog(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('access_log').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
