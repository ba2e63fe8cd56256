/** Reads a room straight from the SQLite file, the way a restarted server would. */
import Database from 'better-sqlite3';
import * as Y from 'yjs';

export function readStoredDoc(dbPath: string, room: string): Y.Doc {
  const db = new Database(dbPath, { readonly: true });
  try {
    const doc = new Y.Doc();
    const snapshot = db.prepare('select seq, data from doc_snapshots where room = ?').get(room) as
      | { seq: number; data: Buffer }
      | undefined;
    if (snapshot) Y.applyUpdate(doc, snapshot.data);
    const rows = db.prepare('select data from doc_updates where room = ? and seq > ? order by seq').all(room, snapshot?.seq ?? 0) as Array<{
      data: Buffer;
    }>;
    for (const row of rows) Y.applyUpdate(doc, row.data);
    return doc;
  } finally {
    db.close();
  }
}

export function storedRooms(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('select room from doc_updates union select room from doc_snapshots').all() as Array<{ room: string }>;
    return rows.map((r) => r.room).sort();
  } finally {
    db.close();
  }
}

export function packetIds(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('select id from packets order by created').all() as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
}
