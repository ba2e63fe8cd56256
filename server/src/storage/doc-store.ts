/**
 * Durable Yjs documents: an append-only update log per room plus a snapshot that compaction
 * folds the log's prefix into. Load = snapshot + the updates after it.
 *
 * `DocStore` is the one interface the sync layer depends on for documents. This implementation
 * is plain kysely SQL, so it runs on SQLite today and PostgreSQL later; a multi-process setup
 * (Redis fan-out) wraps the same interface.
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

export interface DocStore {
  load(room: string): Promise<StoredDoc>;
  /** Appends updates of any rooms in one transaction: they are all durable, or none is. */
  append(updates: readonly PendingUpdate[]): Promise<void>;
  /** Stores `snapshot` as the state up to `seq` and drops the log entries it contains. */
  compact(room: string, snapshot: Uint8Array, seq: number): Promise<void>;
  /** Names of the stored rooms that start with `prefix`, sorted. */
  listRooms(prefix: string): Promise<string[]>;
}

/** SQLite allows 32766 bound variables per statement; three per row. */
const ROWS_PER_INSERT = 5_000;

export function kyselyDocStore(db: Kysely<Database>, clock: () => Date): DocStore {
  return {
    load: (room) => loadDoc(db, room),
    append: (updates) => appendUpdates(db, updates),
    compact: (room, snapshot, seq) => compactDoc(db, room, snapshot, seq, clock().toISOString()),
    listRooms: (prefix) => listRooms(db, prefix),
  };
}

/**
 * One transaction, so a compaction cannot slip between reading the snapshot and reading the log
 * after it (SQLite transactions are snapshots; PostgreSQL needs repeatable read for that).
 */
export async function loadDoc(db: Kysely<Database>, room: string): Promise<StoredDoc> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => readDoc(trx, room));
}

async function readDoc(db: Kysely<Database>, room: string): Promise<StoredDoc> {
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

export async function compactDoc(db: Kysely<Database>, room: string, snapshot: Uint8Array, seq: number, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A snapshot never replaces a newer one, whatever order two compactions commit in.
    await trx
      .insertInto('doc_snapshots')
      .values({ room, seq, data: snapshot, updated: now })
      .onConflict((oc) => oc.column('room').doUpdateSet({ seq, data: snapshot, updated: now }).where('doc_snapshots.seq', '<', seq))
      .execute();
    await trx.deleteFrom('doc_updates').where('room', '=', room).where('seq', '<=', seq).execute();
  });
}

/** Range scans on the primary keys: `room >= prefix and room < prefix'` with the last character bumped. */
export async function listRooms(db: Kysely<Database>, prefix: string): Promise<string[]> {
  if (prefix.length === 0) throw new Error('listRooms needs a prefix');
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const rows = await db
    .selectFrom('doc_snapshots')
    .select('room')
    .where('room', '>=', prefix)
    .where('room', '<', end)
    .union(db.selectFrom('doc_updates').select('room').distinct().where('room', '>=', prefix).where('room', '<', end))
    .orderBy('room')
    .execute();
  return rows.map((r) => r.room);
}
