/**
 * Loading a room from SQLite: the snapshot and the log after it, read in one synchronous
 * better-sqlite3 transaction of prepared statements (a consistent snapshot: nothing of ours runs
 * in between, and another process's commit is either wholly before or after it). Through kysely a
 * load ran four statements (0.12 ms for an empty room, 0.05 ms with statement-cache.ts, against
 * 0.014 ms here), and its transaction stayed open across awaits, during which every append of
 * every other room had to leave the prepared path (sqlite-append.ts) and queue behind it. Same StoredDoc as kysely's
 * loadDoc, which still serves PostgreSQL and the case below.
 *
 * While kysely has a transaction open on the shared connection (a compaction, say), a synchronous
 * read would run inside it and could see what it has not committed yet, so the load then takes
 * kysely's path and waits its turn.
 */
import type SQLite from 'better-sqlite3';
import { decodeStored, type SnapshotRow, type StoredDoc, type StoredRows } from './doc-store.ts';

type Load = (room: string, after?: number) => Promise<StoredDoc>;
type Row = { seq: number; data: Uint8Array };

export function sqliteLoad(sqlite: SQLite.Database, viaKysely: Load): Load {
  // Prepared at the first load: the tables exist only once the migrations ran.
  let read: ((room: string, after: number) => StoredRows) | null = null;
  const prepare = () => {
    const snapshot = sqlite.prepare<[string, number], SnapshotRow>(
      'select seq, data, encoding, size from doc_snapshots where room = ? and seq > ?',
    );
    const log = sqlite.prepare<[string, number], Row>('select seq, data from doc_updates where room = ? and seq > ? order by seq');
    return sqlite.transaction((room: string, after: number): StoredRows => {
      const found = snapshot.get(room, after);
      const from = found?.seq ?? after;
      return { snapshot: found, rows: log.all(room, from), from };
    });
  };
  return async (room, after = 0) => {
    if (sqlite.inTransaction) return viaKysely(room, after);
    read ??= prepare();
    // Decompressed once the read transaction is over (snapshot-codec.ts).
    return decodeStored(room, read(room, after));
  };
}
