import { brotliCompressSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type OpenedDatabase, openSqlite } from './database.ts';
import { loadDoc } from './doc-store.ts';
import { migrateToLatest } from './migrate.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotEncoding } from './snapshot-codec.ts';

/** A room of `count` comments as the annotation schema has them. */
function roomState(count: number): Uint8Array {
  const doc = new Y.Doc();
  const annotations = doc.getMap('annotations');
  for (let i = 0; i < count; i++) {
    const entry = new Y.Map<unknown>();
    annotations.set(`c${i}`, entry);
    entry.set('kind', 'comment');
    entry.set('body', `Kommentar ${i}: hvad betyder punkt ${i % 12} for budgettet?`);
    entry.set('target', { page: 1 + (i % 40) });
  }
  return Y.encodeStateAsUpdate(doc);
}

const opened: OpenedDatabase[] = [];
async function open(): Promise<OpenedDatabase> {
  const database = openSqlite(':memory:');
  opened.push(database);
  await migrateToLatest(database.db as Kysely<unknown>);
  return database;
}
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

describe('snapshots stored compressed', () => {
  it('round-trips a Yjs state through Brotli, a fraction of its size, and keeps what does not shrink as is', async () => {
    const state = roomState(2_000);
    const encoded = await encodeSnapshot(state);
    expect(encoded.encoding).toBe(SnapshotEncoding.yjsBrotli);
    expect(encoded.size).toBe(state.byteLength);
    expect(encoded.data.byteLength).toBeLessThan(state.byteLength / 4);
    expect(await decodeSnapshot('r', encoded)).toEqual(state);

    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    expect(await encodeSnapshot(empty)).toEqual({ data: empty, encoding: SnapshotEncoding.yjs, size: empty.byteLength });
  });

  it('refuses what it cannot read back with the room named, instead of loading a room without its snapshot', async () => {
    const state = roomState(50);
    const { data } = await encodeSnapshot(state);
    await expect(decodeSnapshot('notes/u1/p1', { data, encoding: 'yjs-zstd', size: null })).rejects.toThrow(
      'snapshot of room notes/u1/p1: unknown encoding yjs-zstd',
    );
    await expect(
      decodeSnapshot('notes/u1/p1', { data: data.subarray(0, 20), encoding: 'yjs-brotli', size: state.byteLength }),
    ).rejects.toThrow(/snapshot of room notes\/u1\/p1 cannot be decompressed/);
    await expect(decodeSnapshot('notes/u1/p1', { data: brotliCompressSync(state), encoding: 'yjs-brotli', size: 10 })).rejects.toThrow(
      /notes\/u1\/p1/,
    );
  });

  // A 10,000-comment room of bench:sync took 4.53 MiB in the file after a graceful stop, the size
  // of its state, against 2.25 MiB for the reference server's compressed LevelDB
  // (docs/PERFORMANCE.md, twelfth round).
  it('a compacted room is stored compressed and loads as the same state, on both load paths, counted by its Yjs size', async () => {
    const database = await open();
    const state = roomState(2_000);
    await database.docs.append([{ room: 'notes/u1/a', data: state }]);
    await database.docs.compact('notes/u1/a', state, 1);

    const row = await database.db.selectFrom('doc_snapshots').select(['data', 'encoding', 'size']).executeTakeFirstOrThrow();
    expect(row.encoding).toBe('yjs-brotli');
    expect(row.size).toBe(state.byteLength);
    expect(row.data.byteLength).toBeLessThan(state.byteLength / 4);
    for (const loaded of [await database.docs.load('notes/u1/a'), await loadDoc(database.db, 'notes/u1/a')]) {
      expect(loaded.snapshot).toEqual(state);
      expect(loaded.bytes).toBe(state.byteLength);
    }
    // The storage quota counts what the size cap counts: the state, not its compressed bytes.
    expect(await database.docs.storedBytes('notes/u1/')).toBe(state.byteLength);
  });

  it('reads snapshots stored before compression (migration 0005) as they are', async () => {
    const database = await open();
    const state = roomState(100);
    await database.db
      .insertInto('doc_snapshots')
      .values({ room: 'notes/u1/old', seq: 3, data: state, encoding: 'yjs', size: null, updated: '2026-01-01' })
      .execute();
    // (better-sqlite3 hands blobs out as Buffers.)
    expect(new Uint8Array((await database.docs.load('notes/u1/old')).snapshot ?? [])).toEqual(state);
    expect(new Uint8Array((await loadDoc(database.db, 'notes/u1/old')).snapshot ?? [])).toEqual(state);
    expect(await database.docs.storedBytes('notes/u1/')).toBe(state.byteLength);
  });
});
