/**
 * Who hands out a room's seqs (the numbers of its log rows), inside the write transaction.
 *
 * - PostgreSQL, where several server processes may write one room: the room's row in `doc_heads`,
 *   moved on by an upsert that locks it until the transaction ends. Two processes never give out
 *   the same seq, a room's rows commit in seq order (nobody can commit seq n+1 while seq n's
 *   transaction holds the row), and whoever holds the row sees the room exactly as committed.
 *   One statement locks all rooms of a transaction, in name order, so two transactions never
 *   wait for each other in a cycle.
 * - SQLite, which only one server process uses: counted in memory, starting from the highest
 *   seq stored, so a write costs no statement more than the rows themselves. SQLite runs one
 *   write transaction at a time, so nobody else can hand out the same seq in between.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export interface RoomHeads {
  /**
   * Reserves `count` seqs for each room (0: only takes the room's lock, where there is one) and
   * returns each room's head before the reservation: its new rows are head + 1 … head + count.
   */
  reserve(trx: Transaction<Database>, counts: ReadonlyMap<string, number>): Promise<Map<string, number>>;
  /** A transaction that reserved seqs for `rooms` failed: what it reserved was never used. */
  forget(rooms: Iterable<string>): void;
  /** The highest seq given out for each of `rooms` (absent: nothing stored yet). */
  read(db: Kysely<Database>, rooms: readonly string[]): Promise<Map<string, number>>;
}

/** Rooms per query: far below both databases' limits on bound parameters. */
const ROOMS_PER_QUERY = 1_000;

async function inChunks(rooms: readonly string[], query: (chunk: string[]) => Promise<Array<{ room: string; seq: unknown }>>) {
  const heads = new Map<string, number>();
  for (let i = 0; i < rooms.length; i += ROOMS_PER_QUERY) {
    for (const row of await query(rooms.slice(i, i + ROOMS_PER_QUERY))) heads.set(row.room, Number(row.seq));
  }
  return heads;
}

export function lockedHeads(): RoomHeads {
  return {
    async reserve(trx, counts) {
      const rooms = [...counts.keys()].sort();
      const before = new Map<string, number>();
      if (rooms.length === 0) return before;
      const rows = await trx
        .insertInto('doc_heads')
        .values(rooms.map((room) => ({ room, seq: counts.get(room) ?? 0 })))
        .onConflict((oc) => oc.column('room').doUpdateSet((eb) => ({ seq: eb('doc_heads.seq', '+', eb.ref('excluded.seq')) })))
        .returning(['room', 'seq'])
        .execute();
      for (const row of rows) before.set(row.room, Number(row.seq) - (counts.get(row.room) ?? 0));
      return before;
    },
    forget() {
      // The transaction's rollback undid the reservation.
    },
    read: (db, rooms) =>
      inChunks(rooms, (chunk) => db.selectFrom('doc_heads').select(['room', 'seq']).where('room', 'in', chunk).execute()),
  };
}

/** SQLite's heads, which can also be reserved inside a synchronous better-sqlite3 transaction. */
export interface CountedHeads extends RoomHeads {
  /** `reserve` without awaiting: `stored` reads the stored heads of rooms not counted yet. */
  reserveNow(counts: ReadonlyMap<string, number>, stored: (rooms: string[]) => Map<string, number>): Map<string, number>;
}

export function countedHeads(): CountedHeads {
  const known = new Map<string, number>();
  const stored = (db: Kysely<Database>, rooms: readonly string[]) =>
    inChunks(rooms, (chunk) =>
      db
        .selectFrom(
          db
            .selectFrom('doc_updates')
            .select(['room', 'seq'])
            .where('room', 'in', chunk)
            .unionAll(db.selectFrom('doc_snapshots').select(['room', 'seq']).where('room', 'in', chunk))
            .as('known'),
        )
        .select(['room', sql<number>`max(seq)`.as('seq')])
        .groupBy('room')
        .execute(),
    );
  const uncounted = (counts: ReadonlyMap<string, number>) => [...counts.keys()].filter((room) => !known.has(room));
  const count = (counts: ReadonlyMap<string, number>, found: ReadonlyMap<string, number>) => {
    const before = new Map<string, number>();
    for (const [room, n] of counts) {
      const head = known.get(room) ?? found.get(room) ?? 0;
      before.set(room, head);
      known.set(room, head + n);
    }
    return before;
  };
  return {
    async reserve(trx, counts) {
      const unknown = uncounted(counts);
      return count(counts, unknown.length > 0 ? await stored(trx, unknown) : new Map());
    },
    reserveNow(counts, read) {
      const unknown = uncounted(counts);
      return count(counts, unknown.length > 0 ? read(unknown) : new Map());
    },
    forget(rooms) {
      // Counted again from what is stored on next use.
      for (const room of rooms) known.delete(room);
    },
    read: (db, rooms) => stored(db, rooms),
  };
}
