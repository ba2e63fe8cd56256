/**
 * Erasure records, pending erasures and the removal of a user's account rows (migration 0008).
 * Plain functions taking `db` (or a transaction) first.
 */
import type { Kysely, Transaction } from 'kysely';
import { isPostgres } from './dialect.ts';
import type { Database, ErasedBy } from './schema.ts';

export interface ErasureRecord {
  at: string;
  subjectKind: 'user' | 'packet';
  subjectId: string;
  by: ErasedBy;
  roomsRemoved: number;
  roomsRewritten: number;
  annotations: number;
}

export async function recordErasure(db: Kysely<Database> | Transaction<Database>, record: ErasureRecord): Promise<void> {
  await db
    .insertInto('erasures')
    .values({
      at: record.at,
      subject_kind: record.subjectKind,
      subject_id: record.subjectId,
      by: record.by,
      rooms_removed: record.roomsRemoved,
      rooms_rewritten: record.roomsRewritten,
      annotations: record.annotations,
    })
    .execute();
}

/** The record of the user's erasure, if they were erased. */
export async function erasureOf(db: Kysely<Database>, userId: string): Promise<ErasureRecord | undefined> {
  const r = await db
    .selectFrom('erasures')
    .selectAll()
    .where('subject_kind', '=', 'user')
    .where('subject_id', '=', userId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r
    ? {
        at: r.at,
        subjectKind: r.subject_kind,
        subjectId: r.subject_id,
        by: r.by,
        roomsRemoved: Number(r.rooms_removed),
        roomsRewritten: Number(r.rooms_rewritten),
        annotations: Number(r.annotations),
      }
    : undefined;
}

/** Schedules the user's erasure at `eraseAt`; an earlier pending time is kept (asking again does not postpone it). */
export async function requestErasure(
  db: Kysely<Database>,
  userId: string,
  requested: string,
  eraseAt: string,
  by: ErasedBy,
): Promise<string> {
  await db
    .insertInto('erasure_requests')
    .values({ user_id: userId, requested, erase_at: eraseAt, by })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  if (by === 'admin') {
    // An administrator's erasure is due now, even when the user's own was still waiting.
    await db
      .updateTable('erasure_requests')
      .set({ erase_at: eraseAt, by })
      .where('user_id', '=', userId)
      .where('erase_at', '>', eraseAt)
      .execute();
  }
  return (await pendingErasure(db, userId))?.eraseAt ?? eraseAt;
}

export async function pendingErasure(db: Kysely<Database>, userId: string): Promise<{ eraseAt: string; by: ErasedBy } | undefined> {
  const row = await db.selectFrom('erasure_requests').select(['erase_at', 'by']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { eraseAt: row.erase_at, by: row.by } : undefined;
}

/** Cancels the user's own pending erasure; returns whether there was one (an administrator's is not cancelled). */
export async function cancelErasure(db: Kysely<Database>, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('erasure_requests').where('user_id', '=', userId).where('by', '=', 'self').executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function dueErasures(db: Kysely<Database>, now: string, limit = 10): Promise<Array<{ userId: string; by: ErasedBy }>> {
  const rows = await db
    .selectFrom('erasure_requests')
    .select(['user_id', 'by'])
    .where('erase_at', '<=', now)
    .orderBy('erase_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, by: r.by }));
}

/**
 * Ends the user's access at once, before their rooms are rewritten: no token, sign-in or
 * membership is left to write with meanwhile (open sockets close at their next re-check).
 */
export async function lockOut(db: Kysely<Database>, userId: string, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ disabled: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('tokens').where('user_id', '=', userId).execute();
    await trx.deleteFrom('refresh_families').where('user_id', '=', userId).execute();
    await trx.deleteFrom('login_codes').where('user_id', '=', userId).execute();
    await trx.deleteFrom('memberships').where('user_id', '=', userId).execute();
  });
}

/**
 * The user's account rows, all of them: the user (name, e-mail), sign-in identity, sessions,
 * tokens, memberships, what they registered of packets, and the pending request. Item-access
 * audit rows keep the bare id (an administrator's record of who closed what).
 */
export async function removeAccount(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.deleteFrom('packet_registrations').where('user_id', '=', userId).execute();
  await trx.deleteFrom('packet_user_aliases').where('user_id', '=', userId).execute();
  await trx.deleteFrom('oidc_identities').where('user_id', '=', userId).execute();
  await trx.deleteFrom('login_codes').where('user_id', '=', userId).execute();
  await trx.deleteFrom('refresh_families').where('user_id', '=', userId).execute();
  await trx.deleteFrom('tokens').where('user_id', '=', userId).execute();
  await trx.deleteFrom('memberships').where('user_id', '=', userId).execute();
  await trx.deleteFrom('erasure_requests').where('user_id', '=', userId).execute();
  await trx.deleteFrom('users').where('id', '=', userId).execute();
}

/** The rows of rooms' documents, gone (their rewrite left an empty snapshot; nothing of the room is left). */
export async function removeRoomRows(trx: Transaction<Database>, rooms: readonly string[]): Promise<void> {
  for (const room of rooms) {
    await trx.deleteFrom('doc_updates').where('room', '=', room).execute();
    await trx.deleteFrom('doc_snapshots').where('room', '=', room).execute();
    // PostgreSQL's heads are rows (room-heads.ts); SQLite counts them from the rows above.
    if (isPostgres(trx as unknown as Kysely<unknown>)) await trx.deleteFrom('doc_heads').where('room', '=', room).execute();
  }
}
