/** Opens the database. SQLite (WAL) is the embedded default; the rest of the server sees only Kysely<Database> and a DocStore. */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type DocStore, kyselyDocStore } from './doc-store.ts';
import type { Database } from './schema.ts';

/**
 * `normal`: WAL with synchronous=NORMAL. A commit survives the process being killed at any moment
 * (it is in the OS before the call returns); a power loss may drop the last transactions.
 * `full`: synchronous=FULL, every commit waits for fsync: power-loss safe, slower writes.
 */
export type Durability = 'normal' | 'full';

export interface OpenedDatabase {
  /** Accounts, groups, packets: plain kysely queries that run on SQLite and PostgreSQL alike. */
  db: Kysely<Database>;
  /** Yjs documents. */
  docs: DocStore;
  close(): Promise<void>;
}

export function openSqlite(file: string, durability: Durability = 'normal', clock: () => Date = () => new Date()): OpenedDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, docs: kyselyDocStore(db, clock), close: () => db.destroy() };
}

/**
 * Online backup of a database file that a server may be writing to. `VACUUM INTO` copies one
 * read transaction's snapshot (WAL readers never block the writer), so unlike the page-by-page
 * backup API it does not restart while writes continue. The copy appears under its name only
 * when complete.
 */
export function backupSqlite(file: string, toFile: string): void {
  if (!existsSync(file)) throw new Error(`no database at ${file}`);
  if (existsSync(toFile)) throw new Error(`${toFile} exists; choose a new file name`);
  mkdirSync(dirname(toFile), { recursive: true });
  const partial = `${toFile}.partial`;
  rmSync(partial, { force: true });
  const sqlite = new SQLite(file, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.prepare('VACUUM INTO ?').run(partial);
  } finally {
    sqlite.close();
  }
  renameSync(partial, toFile);
}
