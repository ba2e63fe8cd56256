import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log.ts';
import { openSqlite } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { autoVacuumMode, convertAtStart } from './sqlite-vacuum.ts';

const dirs: string[] = [];
const opened: SQLite.Database[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-vacuum-'));
  dirs.push(dir);
  return join(dir, 'randnoter.sqlite');
}

/** A file as servers before incremental vacuum made it: WAL first, no auto_vacuum. */
function oldStyleFile(file: string, rows: number): SQLite.Database {
  const sqlite = new SQLite(file);
  opened.push(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table log (data blob)');
  const insert = sqlite.prepare('insert into log (data) values (?)');
  sqlite.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(new Uint8Array(4096).fill(i % 251));
  })();
  sqlite.exec('delete from log where rowid % 2 = 0');
  return sqlite;
}

function logger(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('free pages of the SQLite file', () => {
  // Compaction deletes the update log it folded into a snapshot; SQLite kept the freed pages in
  // the file, so a stopped server's file stayed at about twice its rooms' size (10.7 MiB for a
  // 4.5 MiB room in bench:sync, docs/PERFORMANCE.md, twelfth round).
  it('go back to the file system when a server closes its database: no free page, no WAL left', async () => {
    const file = tempFile();
    const log = logger();
    const database = openSqlite(file, 'normal', () => new Date(), { log });
    await migrateToLatest(database.db as Kysely<unknown>);
    const room = 'notes/u1/p1';
    await database.docs.append(Array.from({ length: 2_000 }, (_, i) => ({ room, data: new Uint8Array(1_000).fill(i % 251) })));
    const stored = await database.docs.load(room);
    const snapshot = new Uint8Array(100_000).fill(7);
    await database.docs.compact(room, snapshot, stored.seq);
    await database.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const sqlite = new SQLite(file, { readonly: true });
    opened.push(sqlite);
    expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
    expect(autoVacuumMode(sqlite)).toBe('incremental');
    // The tables' own pages and the snapshot (small here), not the 2 MB log it replaced.
    expect(statSync(file).size).toBeLessThan(400_000);
    expect(log.lines).toContainEqual({
      level: 'info',
      msg: 'free pages released on stop',
      fields: expect.objectContaining({ walEmptied: true }),
    });
  });

  it('a file made before incremental vacuum is converted when a server starts on it, if small', async () => {
    const file = tempFile();
    const old = oldStyleFile(file, 1_000);
    expect(autoVacuumMode(old)).toBe('none');
    old.close();
    const log = logger();
    const database = openSqlite(file, 'normal', () => new Date(), { log });
    await database.close();
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'database converted to incremental vacuum' }));
    const sqlite = new SQLite(file, { readonly: true });
    opened.push(sqlite);
    expect(autoVacuumMode(sqlite)).toBe('incremental');
    expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
    expect(statSync(file).size).toBeLessThan(2_500_000); // half of 4 MB was free
  });

  it('a bigger one is left as it is at start, and said so', () => {
    const file = tempFile();
    const sqlite = oldStyleFile(file, 200);
    expect(convertAtStart(sqlite, file, 1_000)).toEqual({ converted: false, bytes: statSync(file).size });
    expect(autoVacuumMode(sqlite)).toBe('none');
    expect(convertAtStart(sqlite, file)).toEqual({ converted: true, bytes: expect.any(Number), ms: expect.any(Number) });
    expect(autoVacuumMode(sqlite)).toBe('incremental');
    expect(convertAtStart(sqlite, file)).toBeNull();
  });
});
