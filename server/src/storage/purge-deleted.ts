/**
 * After an erasure, the deleted bytes leave the SQLite file and its WAL. SQLite keeps a deleted
 * row's bytes in the page's free space and freed pages on its free list, and the WAL keeps every
 * page image written since it last started over. With `secure_delete` on (database.ts) deletes
 * overwrite the row's bytes and freed pages with zeros; here the free pages are handed back
 * (incremental vacuum) and the WAL is copied into the file and truncated to nothing, so no old
 * page image is left in it.
 */
import type SQLite from 'better-sqlite3';
import { autoVacuumMode, releaseFreePages } from './sqlite-vacuum.ts';

export interface PurgeReport {
  /** Free pages handed back to the file system. */
  freePages: number;
  /** Whether the WAL was emptied (false: a reader held it; the next checkpoint after that reader empties it). */
  walEmptied: boolean;
  ms: number;
}

/** Tries a truncating checkpoint this many times: a reader in the middle of a read makes it busy. */
const CHECKPOINT_ATTEMPTS = 5;

export function purgeSqlite(sqlite: SQLite.Database): PurgeReport {
  const started = performance.now();
  if (sqlite.inTransaction) throw new Error('purge inside a transaction');
  const freePages = autoVacuumMode(sqlite) === 'incremental' ? releaseFreePages(sqlite) : 0;
  let walEmptied = false;
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS && !walEmptied; attempt++) {
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    walEmptied = result?.busy === 0;
  }
  return { freePages, walEmptied, ms: Math.round(performance.now() - started) };
}
