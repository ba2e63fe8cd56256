/**
 * Durable Yjs documents: an append-only update log per room plus a snapshot that compaction
 * folds the log's prefix into. Load = snapshot + the updates after it.
 *
 * `DocStore` is the one interface the sync layer depends on for documents. This implementation
 * is plain kysely SQL and runs on SQLite and PostgreSQL alike; only who hands out a room's seqs
 * differs (room-heads.ts). Every write (append, exclusive append, compaction) first reserves or
 * locks the heads of its rooms, so on PostgreSQL a room's writers take turns and its rows commit
 * in seq order.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { retryConflicts } from './dialect.ts';
import type { RoomHeads } from './room-heads.ts';
import type { Database } from './schema.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotEncoding } from './snapshot-codec.ts';

export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Highest seq stored for the room (snapshot or log), or `after` when nothing is newer. */
  seq: number;
  /** Bytes of the snapshot and log returned, for the document size cap. */
  bytes: number;
}

export interface PendingUpdate {
  room: string;
  data: Uint8Array;
}

export interface DocStore {
  /**
   * The room as stored; with `after`, only what was committed after seq `after`: the updates
   * after it, and the snapshot too when compaction has folded some of those into it.
   */
  load(room: string, after?: number): Promise<StoredDoc>;
  /**
   * Appends updates of any rooms in one transaction: they are all durable, or none is. Returns
   * the seq each update was given, in order.
   */
  append(updates: readonly PendingUpdate[]): Promise<number[]>;
  /**
   * Appends to one room with no other writer in between: the room's head stays locked from
   * before `build` runs until the commit. `build` receives what was committed after seq `after`
   * (its `seq` is the room's head) and returns the updates to append, which get the seqs
   * following that head; those are returned.
   */
  appendExclusive(room: string, after: number, build: (missed: StoredDoc) => Uint8Array[]): Promise<number[]>;
  /** Stores `snapshot` as the state up to `seq` and drops the log entries it contains. */
  compact(room: string, snapshot: Uint8Array, seq: number): Promise<void>;
  /**
   * Rewrites rooms whole, in one transaction with `alongside`: with their heads locked, `build`
   * gets each room as stored and returns each room's new state, which is stored as its snapshot at
   * a new seq while its whole update log is dropped. Nothing of the old state is left to read back
   * (what moving comments out of a room needs: docs/CLOSED-ITEMS.md). Loaded copies of the rooms
   * are stale afterwards: the caller drops them (Rooms.rewrite).
   */
  rewrite(
    rooms: readonly string[],
    build: (stored: ReadonlyMap<string, StoredDoc>) => ReadonlyMap<string, Uint8Array>,
    alongside: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<void>;
  /** Names of the stored rooms that start with `prefix`, sorted. */
  listRooms(prefix: string): Promise<string[]>;
  /** Bytes stored (snapshots and logs) for the rooms whose names start with `prefix`. */
  storedBytes(prefix: string): Promise<number>;
  /** The highest seq given out for each of `rooms` (absent: nothing stored yet). */
  heads(rooms: readonly string[]): Promise<Map<string, number>>;
}

/** SQLite allows 32766 bound variables per statement; three per row. */
const ROWS_PER_INSERT = 5_000;

export function kyselyDocStore(db: Kysely<Database>, heads: RoomHeads, clock: () => Date): DocStore {
  return {
    load: (room, after) => loadDoc(db, room, after),
    append: (updates) => appendUpdates(db, heads, updates),
    appendExclusive: (room, after, build) => appendExclusive(db, heads, room, after, build),
    compact: (room, snapshot, seq) => compactDoc(db, heads, room, snapshot, seq, clock().toISOString()),
    rewrite: (rooms, build, alongside) => rewriteRooms(db, heads, rooms, build, alongside, clock().toISOString()),
    listRooms: (prefix) => listRooms(db, prefix),
    storedBytes: (prefix) => storedBytes(db, prefix),
    heads: (rooms) => heads.read(db, rooms),
  };
}

/**
 * One transaction, so a compaction cannot slip between reading the snapshot and reading the log
 * after it (SQLite transactions are snapshots; PostgreSQL needs repeatable read for that). The
 * snapshot is decompressed after it, so the transaction does not stay open meanwhile.
 */
export async function loadDoc(db: Kysely<Database>, room: string, after = 0): Promise<StoredDoc> {
  const read = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => readRows(trx, room, after));
  return decodeStored(room, read);
}

async function readRows(db: Kysely<Database>, room: string, after: number): Promise<StoredRows> {
  const snapshot = await db
    .selectFrom('doc_snapshots')
    .select(['seq', 'data', 'encoding', 'size'])
    .where('room', '=', room)
    .where('seq', '>', after)
    .executeTakeFirst();
  const from = snapshot?.seq ?? after;
  const rows = await db
    .selectFrom('doc_updates')
    .select(['seq', 'data'])
    .where('room', '=', room)
    .where('seq', '>', from)
    .orderBy('seq')
    .execute();
  return { snapshot, rows, from };
}

type Row = { seq: number; data: Uint8Array };
export type SnapshotRow = Row & { encoding: string; size: number | null };

/** What a load read: the snapshot row after `after` (as stored), then the log after `from`. */
export interface StoredRows {
  snapshot: SnapshotRow | undefined;
  rows: readonly Row[];
  from: number;
}

/** What a load read as a StoredDoc: the snapshot as the Yjs state it holds, and the bytes the size cap counts. */
export async function decodeStored(room: string, { snapshot, rows, from }: StoredRows): Promise<StoredDoc> {
  const state = snapshot ? await decodeSnapshot(room, snapshot) : null;
  const updates = rows.map((r) => r.data);
  const seq = rows.at(-1)?.seq ?? from;
  const bytes = (state?.byteLength ?? 0) + updates.reduce((n, u) => n + u.byteLength, 0);
  return { snapshot: state, updates, seq, bytes };
}

async function insertRows(trx: Transaction<Database>, rows: ReadonlyArray<{ room: string; seq: number; data: Uint8Array }>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto('doc_updates')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
  }
}

/** Runs a transaction that reserves seqs of `rooms`; if it fails, the reservation is forgotten. */
async function reserving<T>(heads: RoomHeads, rooms: Iterable<string>, transaction: () => Promise<T>): Promise<T> {
  try {
    return await transaction();
  } catch (error) {
    heads.forget(rooms);
    throw error;
  }
}

async function appendUpdates(db: Kysely<Database>, heads: RoomHeads, updates: readonly PendingUpdate[]): Promise<number[]> {
  if (updates.length === 0) return [];
  const counts = new Map<string, number>();
  for (const { room } of updates) counts.set(room, (counts.get(room) ?? 0) + 1);
  // Nothing outside the database happens inside, so a transaction PostgreSQL aborted may run again.
  return reserving(heads, counts.keys(), () =>
    retryConflicts(() =>
      db.transaction().execute(async (trx) => {
        const next = await heads.reserve(trx, counts);
        const rows = updates.map(({ room, data }) => {
          const seq = (next.get(room) as number) + 1;
          next.set(room, seq);
          return { room, seq, data };
        });
        await insertRows(trx, rows);
        return rows.map((r) => r.seq);
      }),
    ),
  );
}

async function appendExclusive(
  db: Kysely<Database>,
  heads: RoomHeads,
  room: string,
  after: number,
  build: (missed: StoredDoc) => Uint8Array[],
): Promise<number[]> {
  // Not retried: `build` changes the caller's document.
  return reserving(heads, [room], () =>
    db.transaction().execute(async (trx) => {
      const head = (await heads.reserve(trx, new Map([[room, 0]]))).get(room) as number;
      // With the head locked nobody commits to this room, so plain reads see it whole.
      const missed =
        head > after ? await decodeStored(room, await readRows(trx, room, after)) : { snapshot: null, updates: [], seq: after, bytes: 0 };
      const updates = build({ ...missed, seq: head });
      if (updates.length === 0) return [];
      const rows = updates.map((data, i) => ({ room, seq: head + 1 + i, data }));
      await heads.reserve(trx, new Map([[room, rows.length]]));
      await insertRows(trx, rows);
      return rows.map((r) => r.seq);
    }),
  );
}

async function compactDoc(
  db: Kysely<Database>,
  heads: RoomHeads,
  room: string,
  snapshot: Uint8Array,
  seq: number,
  now: string,
): Promise<void> {
  // Compressed before the transaction: on SQLite kysely's transaction holds the one connection.
  const { data, encoding, size } = await encodeSnapshot(snapshot);
  await retryConflicts(() =>
    db.transaction().execute(async (trx) => {
      // Holding the head keeps an exclusive append from reading the log while it is being folded.
      await heads.reserve(trx, new Map([[room, 0]]));
      // A snapshot never replaces a newer one, whatever order two compactions commit in.
      await trx
        .insertInto('doc_snapshots')
        .values({ room, seq, data, encoding, size, updated: now })
        .onConflict((oc) => oc.column('room').doUpdateSet({ seq, data, encoding, size, updated: now }).where('doc_snapshots.seq', '<', seq))
        .execute();
      await trx.deleteFrom('doc_updates').where('room', '=', room).where('seq', '<=', seq).execute();
    }),
  );
}

async function rewriteRooms(
  db: Kysely<Database>,
  heads: RoomHeads,
  rooms: readonly string[],
  build: (stored: ReadonlyMap<string, StoredDoc>) => ReadonlyMap<string, Uint8Array>,
  alongside: (trx: Transaction<Database>) => Promise<void>,
  now: string,
): Promise<void> {
  // Not retried: `build` and `alongside` belong to the caller. Rare and small (one packet's
  // comments), so the states are read, built and stored uncompressed inside the transaction;
  // the rooms' next compaction compresses them.
  await reserving(heads, rooms, () =>
    db.transaction().execute(async (trx) => {
      const stored = new Map<string, StoredDoc>();
      // With the heads locked nobody commits to these rooms, so plain reads see them whole.
      await heads.reserve(trx, new Map(rooms.map((room) => [room, 0])));
      for (const room of rooms) stored.set(room, await decodeStored(room, await readRows(trx, room, 0)));
      const states = build(stored);
      const next = await heads.reserve(trx, new Map([...states.keys()].map((room) => [room, 1])));
      for (const [room, state] of states) {
        const seq = (next.get(room) as number) + 1;
        const row = { seq, data: state, encoding: SnapshotEncoding.yjs, size: state.byteLength, updated: now };
        await trx
          .insertInto('doc_snapshots')
          .values({ room, ...row })
          .onConflict((oc) => oc.column('room').doUpdateSet(row))
          .execute();
        await trx.deleteFrom('doc_updates').where('room', '=', room).where('seq', '<=', seq).execute();
      }
      await alongside(trx);
    }),
  );
}

/** The end of the range of names that start with `prefix`: the prefix with its last character bumped. */
function prefixEnd(prefix: string): string {
  if (prefix.length === 0) throw new Error('a room prefix may not be empty');
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Range scans on the primary keys: `room >= prefix and room < prefix'` with the last character bumped. */
async function listRooms(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const end = prefixEnd(prefix);
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

/**
 * Counted as the size cap counts a room: the Yjs bytes, a compressed snapshot by the state's own
 * size. Both databases' `length` of a blob is its bytes, read from the row header.
 */
async function storedBytes(db: Kysely<Database>, prefix: string): Promise<number> {
  const end = prefixEnd(prefix);
  const sum = async (table: 'doc_snapshots' | 'doc_updates', bytes: RawBuilder<number>) => {
    const row = await db
      .selectFrom(table)
      .select(sql<number | string | null>`sum(${bytes})`.as('bytes'))
      .where('room', '>=', prefix)
      .where('room', '<', end)
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  };
  return (await sum('doc_snapshots', sql<number>`coalesce(size, length(data))`)) + (await sum('doc_updates', sql<number>`length(data)`));
}
