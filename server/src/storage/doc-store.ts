/**
 * Durable Yjs documents: an append-only update log per room plus a snapshot that compaction
 * folds the log's prefix into. Load = snapshot + the updates after it.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Highest seq stored for the room (snapshot or log); the next append uses seq + 1. */
  seq: number;
  /** Bytes of snapshot and log, for the document size cap. */
  bytes: number;
}

export interface PendingUpdate {
  room: string;
  seq: number;
  data: Uint8Array;
}

/** SQLite allows 32766 bound variables per statement; three per row. */
const ROWS_PER_INSERT = 5_000;

export async function loadDoc(db: Kysely<Database>, room: string): Promise<StoredDoc> {
  const snapshot = await db.selectFrom('doc_snapshots').select(['seq', 'data']).where('room', '=', room).executeTakeFirst();
  const after = snapshot?.seq ?? 0;
  const rows = await db
    .selectFrom('doc_updates')
    .select(['seq', 'data'])
    .where('room', '=', room)
    .where('seq', '>', after)
    .orderBy('seq')
    .execute();
  const updates = rows.map((r) => r.data);
  const seq = rows.at(-1)?.seq ?? after;
  const bytes = (snapshot?.data.byteLength ?? 0) + updates.reduce((n, u) => n + u.byteLength, 0);
  return { snapshot: snapshot?.data ?? null, updates, seq, bytes };
}

/** Appends updates of any rooms in one transaction: they are all durable, or none is. */
export async function appendUpdates(db: Kysely<Database>, updates: readonly PendingUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < updates.length; i += ROWS_PER_INSERT) {
      await trx
        .insertInto('doc_updates')
        .values(updates.slice(i, i + ROWS_PER_INSERT))
        .execute();
    }
  });
}

/** Replaces the snapshot and drops the log entries it now contains. */
export async function compactDoc(db: Kysely<Database>, room: string, snapshot: Uint8Array, seq: number, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('doc_snapshots')
      .values({ room, seq, data: snapshot, updated: now })
      .onConflict((oc) => oc.column('room').doUpdateSet({ seq, data: snapshot, updated: now }))
      .execute();
    await trx.deleteFrom('doc_updates').where('room', '=', room).where('seq', '<=', seq).execute();
  });
}
