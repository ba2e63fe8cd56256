/** Opens the database. SQLite (WAL) is the embedded default; the rest of the server only sees Kysely<Database>. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

/**
 * `normal`: WAL with synchronous=NORMAL. A commit survives the process being killed at any moment
 * (it is in the OS before the call returns); a power loss may drop the last transactions.
 * `full`: synchronous=FULL, every commit waits for fsync: power-loss safe, slower writes.
 */
export type Durability = 'normal' | 'full';

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** Online, consistent copy of the live database (SQLite backup API). */
  backup(toFile: string): Promise<void>;
  close(): Promise<void>;
}

export function openSqlite(file: string, durability: Durability = 'normal'): OpenedDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    backup: async (toFile) => {
      mkdirSync(dirname(toFile), { recursive: true });
      await sqlite.backup(toFile);
    },
    close: () => db.destroy(),
  };
}
