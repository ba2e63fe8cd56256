/**
 * Giving a SQLite file's free pages back to the file system. Compaction deletes a room's update
 * log once it is folded into a snapshot; SQLite keeps the freed pages in the file for later
 * writes, so after a burst of 10,000 comments the file stayed at twice the room's size for good.
 * In `incremental` auto-vacuum mode the free pages can be handed back at any moment
 * (`PRAGMA incremental_vacuum`), which the server does when it stops (database.ts).
 *
 * The mode is fixed when the file's first table is created, or changed by a VACUUM, which
 * rewrites the whole file (through the WAL: for a while the disk holds it about three times).
 * New files are made incremental; a file made before is converted when a server starts on it
 * and it is small enough to take a moment; a larger one is converted by `randnoter admin
 * vacuum` while no server runs.
 */
import { statSync } from 'node:fs';
import type SQLite from 'better-sqlite3';

/** A file up to this size is converted at start: about half a second here for the largest. */
const CONVERT_AT_START_MAX_BYTES = 64 * 1024 * 1024;

const MODES = ['none', 'full', 'incremental'] as const;
export type AutoVacuum = (typeof MODES)[number];

/** Before the first table exists (and before the WAL is switched on), or it does not take. */
export function preferIncrementalVacuum(sqlite: SQLite.Database): void {
  sqlite.pragma('auto_vacuum = INCREMENTAL');
}

export function autoVacuumMode(sqlite: SQLite.Database): AutoVacuum {
  const mode = MODES[sqlite.pragma('auto_vacuum', { simple: true }) as number];
  if (!mode) throw new Error('unknown auto_vacuum mode');
  return mode;
}

/** Rewrites the file in incremental mode (a VACUUM); no transaction may be open on `sqlite`. */
export function convertToIncremental(sqlite: SQLite.Database): void {
  sqlite.pragma('auto_vacuum = INCREMENTAL');
  sqlite.exec('VACUUM');
}

/** Hands every free page back to the file system; returns how many there were. Incremental mode only. */
export function releaseFreePages(sqlite: SQLite.Database): number {
  const free = sqlite.pragma('freelist_count', { simple: true }) as number;
  if (free > 0) sqlite.pragma('incremental_vacuum');
  return free;
}

export type StartConversion = { converted: true; bytes: number; ms: number } | { converted: false; bytes: number } | null;

/**
 * At a server's start: a file not yet in incremental mode is converted when small enough.
 * Null when there was nothing to do.
 */
export function convertAtStart(sqlite: SQLite.Database, file: string, maxBytes = CONVERT_AT_START_MAX_BYTES): StartConversion {
  if (autoVacuumMode(sqlite) === 'incremental') return null;
  const bytes = statSync(file).size;
  if (bytes > maxBytes) return { converted: false, bytes };
  const started = performance.now();
  convertToIncremental(sqlite);
  return { converted: true, bytes, ms: Math.round(performance.now() - started) };
}
