import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openSqlite } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { holdTransaction } from './test-transaction.ts';

const bytes = (n: number) => new Uint8Array([n]);
const dirs: string[] = [];
const opened: OpenedDatabase[] = [];

async function open(file = ':memory:'): Promise<OpenedDatabase> {
  const database = openSqlite(file);
  opened.push(database);
  await migrateToLatest(database.db as Kysely<unknown>);
  return database;
}

async function rows(database: OpenedDatabase, room: string): Promise<Array<{ seq: number; data: number }>> {
  const stored = await database.db.selectFrom('doc_updates').select(['seq', 'data']).where('room', '=', room).orderBy('seq').execute();
  return stored.map((row) => ({ seq: Number(row.seq), data: (row.data as Uint8Array)[0] as number }));
}

afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('appending to SQLite with prepared statements', () => {
  it('numbers each room on from what is stored, in the log or in a snapshot, also after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-append-'));
    dirs.push(dir);
    const file = join(dir, 'docs.sqlite');
    const first = await open(file);
    expect(await first.docs.append([1, 2, 3].map((n) => ({ room: 'a', data: bytes(n) })))).toEqual([1, 2, 3]);
    expect(await first.docs.append([{ room: 'b', data: bytes(9) }])).toEqual([1]);
    await first.docs.compact('a', bytes(0), 3);
    await first.close();
    opened.length = 0;

    const again = await open(file);
    // Room a has only its snapshot (seq 3) left; interleaved rooms keep their own numbering.
    const seqs = await again.docs.append([
      { room: 'a', data: bytes(4) },
      { room: 'b', data: bytes(10) },
      { room: 'a', data: bytes(5) },
    ]);
    expect(seqs).toEqual([4, 2, 5]);
    expect(await rows(again, 'a')).toEqual([
      { seq: 4, data: 4 },
      { seq: 5, data: 5 },
    ]);
    expect((await again.docs.load('b')).updates.map((u) => u[0])).toEqual([9, 10]);
  });

  it('waits for a kysely transaction in progress instead of joining it, so its rollback cannot take the append along', async () => {
    const database = await open();
    await database.docs.append([{ room: 'a', data: bytes(1) }]);
    const held = await holdTransaction(database.db, (trx) => trx.selectFrom('doc_updates').selectAll().execute());

    let appended: number[] | null = null;
    const append = database.docs.append([{ room: 'a', data: bytes(2) }]).then((seqs) => {
      appended = seqs;
    });
    // A query of the transaction itself runs meanwhile: an append that took the connection would
    // be done by its end, and its row would be part of the transaction.
    const seen = await held.inside((trx) => trx.selectFrom('doc_updates').select('seq').where('room', '=', 'a').execute());
    expect(seen.map((row) => Number(row.seq))).toEqual([1]);
    expect(appended).toBeNull();
    held.release();
    expect(await held.rolledBack).toBe('rolled back on purpose');
    await append;
    expect(appended).toEqual([2]);
    expect(await rows(database, 'a')).toEqual([
      { seq: 1, data: 1 },
      { seq: 2, data: 2 },
    ]);
  });

  it('stores none of a batch that fails, and numbers the next one from what is stored', async () => {
    const database = await open();
    await database.docs.append([{ room: 'a', data: bytes(1) }]);
    // A row the counted head does not know about (as if written behind the server's back).
    await database.db
      .insertInto('doc_updates')
      .values({ room: 'a', seq: 2, data: bytes(99) })
      .execute();
    await expect(
      database.docs.append([
        { room: 'b', data: bytes(1) },
        { room: 'a', data: bytes(2) },
      ]),
    ).rejects.toThrow(/UNIQUE|PRIMARY KEY/);
    expect(await rows(database, 'b')).toEqual([]);
    expect(await database.docs.append([{ room: 'a', data: bytes(3) }])).toEqual([3]);
    expect(await database.docs.append([{ room: 'b', data: bytes(2) }])).toEqual([1]);
  });
});
