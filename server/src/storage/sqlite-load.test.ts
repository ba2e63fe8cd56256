import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openSqlite } from './database.ts';
import { loadDoc } from './doc-store.ts';
import { migrateToLatest } from './migrate.ts';
import { holdTransaction } from './test-transaction.ts';

const bytes = (n: number) => new Uint8Array([n]);
const opened: OpenedDatabase[] = [];

async function open(): Promise<OpenedDatabase> {
  const database = openSqlite(':memory:');
  opened.push(database);
  await migrateToLatest(database.db as Kysely<unknown>);
  return database;
}

/** A StoredDoc with its bytes as plain numbers, to compare. */
const plain = ({ snapshot, updates, seq, bytes }: Awaited<ReturnType<OpenedDatabase['docs']['load']>>) => ({
  snapshot: snapshot ? [...snapshot] : null,
  updates: updates.map((u) => [...u]),
  seq,
  bytes,
});

afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

describe('loading a room from SQLite with prepared statements', () => {
  it('reads what kysely reads: the snapshot after `after`, the log after the snapshot, the head and the bytes', async () => {
    const database = await open();
    await database.docs.append([1, 2, 3, 4].map((n) => ({ room: 'a', data: bytes(n) })));
    await database.docs.compact('a', new Uint8Array([0, 0]), 2);
    await database.docs.append([{ room: 'a', data: bytes(5) }]);

    for (const after of [0, 1, 2, 3, 5, 9]) {
      expect(plain(await database.docs.load('a', after)), `after ${after}`).toEqual(plain(await loadDoc(database.db, 'a', after)));
    }
    expect(plain(await database.docs.load('a'))).toEqual({ snapshot: [0, 0], updates: [[3], [4], [5]], seq: 5, bytes: 5 });
    expect(plain(await database.docs.load('a', 3))).toEqual({ snapshot: null, updates: [[4], [5]], seq: 5, bytes: 2 });
    expect(plain(await database.docs.load('nothing-stored', 7))).toEqual({ snapshot: null, updates: [], seq: 7, bytes: 0 });
  });

  it('never reads inside a kysely transaction in progress: it waits, and sees nothing the rollback took back', async () => {
    const database = await open();
    await database.docs.append([{ room: 'a', data: bytes(1) }]);
    const held = await holdTransaction(database.db, (trx) =>
      trx
        .insertInto('doc_updates')
        .values({ room: 'a', seq: 2, data: bytes(2) })
        .execute(),
    );

    let loaded: ReturnType<typeof plain> | null = null;
    const load = database.docs.load('a').then((stored) => {
      loaded = plain(stored);
    });
    // A query of the transaction itself runs meanwhile: a load that read inside the transaction
    // would be done by its end.
    await held.inside((trx) => trx.selectFrom('doc_updates').select('seq').execute());
    expect(loaded).toBeNull();
    held.release();
    expect(await held.rolledBack).toBe('rolled back on purpose');
    await load;
    expect(loaded).toEqual({ snapshot: null, updates: [[1]], seq: 1, bytes: 1 });
  });
});
