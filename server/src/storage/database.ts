/**
 * Opens the database. SQLite (WAL) is the embedded default, PostgreSQL the choice for several
 * server processes; the rest of the server sees only Kysely<Database> and a DocStore.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { type DocStore, kyselyDocStore } from './doc-store.ts';
import { type PurgeReport, purgeSqlite } from './purge-deleted.ts';
import { countedHeads, lockedHeads } from './room-heads.ts';
import type { Database } from './schema.ts';
import { sqliteAppend } from './sqlite-append.ts';
import { sqliteLoad } from './sqlite-load.ts';
import { autoVacuumMode, convertAtStart, convertToIncremental, preferIncrementalVacuum, releaseFreePages } from './sqlite-vacuum.ts';
import { cachingStatements } from './statement-cache.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/**
 * `normal`: WAL with synchronous=NORMAL. A commit survives the process being killed at any moment
 * (it is in the OS before the call returns); a power loss may drop the last transactions.
 * `full`: synchronous=FULL, every commit waits for fsync: power-loss safe, slower writes.
 */
export type Durability = 'normal' | 'full';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string; durability: Durability }
  /** `poolSize`: connections per server process. */
  | { kind: 'postgres'; url: string; poolSize: number };

export interface OpenedDatabase {
  /** Accounts, groups, packets: plain kysely queries that run on SQLite and PostgreSQL alike. */
  db: Kysely<Database>;
  /** Yjs documents. */
  docs: DocStore;
  /**
   * After an erasure: makes what was deleted unreadable from the database's files (SQLite: free
   * pages released, WAL emptied, purge-deleted.ts). PostgreSQL: nothing to do here (docs/OPERATIONS.md, "Erasure").
   */
  purgeDeleted(): Promise<PurgeReport | null>;
  close(): Promise<void>;
}

export interface OpenOptions {
  clock?: () => Date;
  /**
   * PostgreSQL: a pooled connection that breaks while idle (a database restart) is reported here
   * instead of crashing the process; the pool opens a new one on the next query.
   */
  onIdleError?: (error: Error) => void;
  /** SQLite file opened by a long-running server (see ServingOptions); short commands leave all that to SQLite. */
  serving?: ServingOptions;
}

/**
 * What a server does with its SQLite file beyond plain queries, logging what happens: the WAL is
 * checkpointed in a worker thread (wal-checkpointer.ts); a file made before incremental vacuum
 * is converted at start when small (sqlite-vacuum.ts); on close the free pages go back to the
 * file system and the WAL is checkpointed and emptied, so a stopped server leaves one file of
 * about the size of what it holds.
 */
export interface ServingOptions {
  log: Logger;
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): OpenedDatabase {
  const { clock = () => new Date(), onIdleError = () => {} } = options;
  return config.kind === 'sqlite'
    ? openSqlite(config.path, config.durability, clock, options.serving)
    : openPostgres(config.url, config.poolSize, clock, onIdleError);
}

/**
 * PostgreSQL through a pool of `pg` connections. Durability is PostgreSQL's own (a commit
 * returns once its WAL is flushed, with the default `synchronous_commit = on`).
 */
function openPostgres(url: string, poolSize: number, clock: () => Date, onIdleError: (error: Error) => void): OpenedDatabase {
  // Required here: a server on SQLite does not hold the PostgreSQL driver's code.
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  const pool = new Pool({ connectionString: url, max: poolSize });
  pool.on('error', onIdleError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, docs: kyselyDocStore(db, lockedHeads(), clock), purgeDeleted: async () => null, close: () => db.destroy() };
}

/** Where the data is, for logs and messages: never a password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'sqlite') return config.path;
  try {
    const url = new URL(config.url);
    url.password = '';
    url.search = ''; // may carry a password too
    return url.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

export function openSqlite(
  file: string,
  durability: Durability = 'normal',
  clock: () => Date = () => new Date(),
  serving?: ServingOptions,
): OpenedDatabase {
  if (file !== ':memory:') ownerOnly(file);
  const sqlite = new SQLite(file);
  preferIncrementalVacuum(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows and freed pages are overwritten with zeros: a deleted comment's words and an
  // erased user's notes do not stay readable in the file's free space (purge-deleted.ts).
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  const heads = countedHeads();
  const docs = kyselyDocStore(db, heads, clock);
  const server = serving && file !== ':memory:' ? startServing(sqlite, file, serving) : null;
  return {
    db,
    docs: { ...docs, load: sqliteLoad(sqlite, docs.load), append: sqliteAppend(sqlite, heads, docs.append) },
    purgeDeleted: async () => (file === ':memory:' ? null : purgeSqlite(sqlite)),
    close: async () => {
      await server?.stop();
      await db.destroy();
    },
  };
}

function startServing(sqlite: SQLite.Database, file: string, { log }: ServingOptions): { stop(): Promise<void> } {
  // What a killed server left in the WAL is copied now, while nobody waits for a commit; the
  // checkpoint worker then starts only when something new is written (wal-checkpointer.ts).
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  let conversion: ReturnType<typeof convertAtStart> = null;
  try {
    conversion = convertAtStart(sqlite, file);
  } catch (error) {
    // e.g. another process holds the file busy: the server runs as before, and tries at its next start.
    log.warn('converting the database to incremental vacuum failed', { error: String(error) });
  }
  if (conversion?.converted) {
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    log.info('database converted to incremental vacuum', { bytes: conversion.bytes, ms: conversion.ms });
  } else if (conversion) {
    log.warn('database keeps its free pages: stop the server and run `randnoter admin vacuum` once to convert it', {
      bytes: conversion.bytes,
    });
  }
  const checkpointer = startWalCheckpointer(sqlite, file, {
    onFailure: (error) => log.error('WAL checkpoints are back on the main thread', { error: error.message }),
  });
  return {
    async stop() {
      await checkpointer.stop();
      // Everything is committed by now (server.ts closes the database last); a transaction still
      // open (a request that outlived the shutdown) would take the vacuum into it: left alone then.
      if (sqlite.inTransaction) return;
      try {
        const freePages = autoVacuumMode(sqlite) === 'incremental' ? releaseFreePages(sqlite) : 0;
        const [checkpoint] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        log.info('free pages released on stop', { freePages, walEmptied: checkpoint?.busy === 0 });
      } catch (error) {
        log.warn('freeing pages on stop failed', { error: String(error) });
      }
    },
  };
}

/**
 * The database holds everyone's notes and the token hashes: its folder (when made here) and files
 * are for the server's user alone. SQLite creates the -wal and -shm files with the database
 * file's permissions, so the file is made (or tightened) to 0600 before SQLite opens it.
 */
function ownerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
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
  mkdirSync(dirname(toFile), { recursive: true, mode: 0o700 });
  const partial = `${toFile}.partial`;
  rmSync(partial, { force: true });
  // Created owner-only before SQLite writes it: the copy holds everyone's notes.
  closeSync(openSync(partial, 'wx', 0o600));
  const sqlite = new SQLite(file, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.prepare('VACUUM INTO ?').run(partial);
  } finally {
    sqlite.close();
  }
  renameSync(partial, toFile);
}

/**
 * Rewrites a database file in incremental auto-vacuum mode, without its free pages (VACUUM):
 * for a file made before that mode, too big to be converted at a server's start. Not while a
 * server runs: the rewrite holds the write lock for as long as it takes, and the server's
 * commits would fail meanwhile. Returns the file's size before and after.
 */
export function vacuumSqlite(file: string): { before: number; after: number } {
  if (!existsSync(file)) throw new Error(`no database at ${file}`);
  const sqlite = new SQLite(file, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    convertToIncremental(sqlite);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { before, after: statSync(file).size };
  } finally {
    sqlite.close();
  }
}
