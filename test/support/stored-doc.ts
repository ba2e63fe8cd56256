/**
 * Reads what a server stored, straight from its database (a SQLite file or a PostgreSQL URL), the
 * way a restarted server would: plain queries on the tables, not the server's own loading code.
 */

import { brotliDecompressSync } from 'node:zlib';
import type { OpenedDatabase } from '@randnoter/server/storage/database';
import * as Y from 'yjs';
import { openTestDatabase } from './test-database.ts';

async function withDatabase<T>(location: string, read: (db: OpenedDatabase['db']) => Promise<T>): Promise<T> {
  const database = openTestDatabase(location);
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}

/** A snapshot row's Yjs state, by the encoding the row names (migration 0005). */
function snapshotState({ data, encoding }: { data: Uint8Array; encoding: string }): Uint8Array {
  if (encoding === 'yjs') return data;
  if (encoding === 'yjs-brotli') return brotliDecompressSync(data);
  throw new Error(`unknown snapshot encoding ${encoding}`);
}

export function readStoredDoc(location: string, room: string): Promise<Y.Doc> {
  return withDatabase(location, async (db) => {
    const doc = new Y.Doc();
    const snapshot = await db.selectFrom('doc_snapshots').select(['seq', 'data', 'encoding']).where('room', '=', room).executeTakeFirst();
    if (snapshot) Y.applyUpdate(doc, snapshotState(snapshot));
    const rows = await db
      .selectFrom('doc_updates')
      .select('data')
      .where('room', '=', room)
      .where('seq', '>', snapshot?.seq ?? 0)
      .orderBy('seq')
      .execute();
    for (const row of rows) Y.applyUpdate(doc, row.data);
    return doc;
  });
}

export function storedRooms(location: string): Promise<string[]> {
  return withDatabase(location, async (db) => {
    const rows = await db.selectFrom('doc_updates').select('room').union(db.selectFrom('doc_snapshots').select('room')).execute();
    return rows.map((r) => r.room).sort();
  });
}

export function packetIds(location: string): Promise<string[]> {
  return withDatabase(location, async (db) => (await db.selectFrom('packets').select('id').orderBy('created').execute()).map((r) => r.id));
}

/** Size of a room's update log and snapshot: as stored (`snapshotBytes`, compressed or not) and the Yjs state's own. */
export function storedSizes(
  location: string,
  room: string,
): Promise<{ logRows: number; logBytes: number; snapshotBytes: number; snapshotStateBytes: number; snapshotEncoding: string | null }> {
  return withDatabase(location, async (db) => {
    const log = await db.selectFrom('doc_updates').select('data').where('room', '=', room).execute();
    const snapshot = await db.selectFrom('doc_snapshots').select(['data', 'encoding']).where('room', '=', room).executeTakeFirst();
    return {
      logRows: log.length,
      logBytes: log.reduce((n, r) => n + r.data.byteLength, 0),
      snapshotBytes: snapshot?.data.byteLength ?? 0,
      snapshotStateBytes: snapshot ? snapshotState(snapshot).byteLength : 0,
      snapshotEncoding: snapshot?.encoding ?? null,
    };
  });
}

/** Rows in all rooms' update logs and snapshots. */
export function storedRowCount(location: string): Promise<number> {
  return withDatabase(location, async (db) => {
    const updates = await db.selectFrom('doc_updates').select('room').execute();
    const snapshots = await db.selectFrom('doc_snapshots').select('room').execute();
    return updates.length + snapshots.length;
  });
}

/**
 * Every byte stored for a room, whatever a load would read of it (the snapshot, decompressed, and
 * every row of the update log, even those a snapshot already folded in): to look for text that
 * must not be recoverable from storage.
 */
export function storedRoomBytes(location: string, room: string): Promise<Buffer> {
  return withDatabase(location, async (db) => {
    const snapshots = await db.selectFrom('doc_snapshots').select(['data', 'encoding']).where('room', '=', room).execute();
    const updates = await db.selectFrom('doc_updates').select('data').where('room', '=', room).execute();
    return Buffer.concat([...snapshots.map(snapshotState), ...updates.map((u) => u.data)]);
  });
}
