/**
 * "Slet" removes the words from storage, not only from the view (docs/OPERATIONS.md, "Erasure"):
 * a deleted shared comment's text leaves the database's tables as soon as the room folds its log
 * (at once after the deletion), a deleted private note's when its room next compacts (at the
 * latest when it unloads). Yjs keeps deleted text in the update log until then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { insertAnnotation, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { rowsHolding } from '../support/stored-phrase.ts';
import { testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

describe('deleting erases the words', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  it('a deleted shared comment leaves no trace in the tables while the room stays open, nor in the file after a checkpoint', async () => {
    const phrase = 'OKAPI-slettes-2208';
    // Neither an unload nor a due compaction would fold the log during this test.
    server = await startTestServer({ limits: { idleUnloadMs: 600_000, compactAfterUpdates: 100_000 } });
    const { url, wsUrl, database } = server;
    const anne = await server.addUser('Anne', 'udvalg');
    const bo = await server.addUser('Bo', 'udvalg');
    expect((await api(url, anne.token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', phrase))).status).toBe(201);
    expect((await api(url, anne.token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c2', 'bliver'))).status).toBe(
      201,
    );
    // A colleague keeps the room loaded.
    clients.push(await connectSynced(wsUrl, 'shared/udvalg/p1', bo.token));
    expect(await rowsHolding(database, phrase)).not.toEqual([]);

    expect((await api(url, anne.token, 'DELETE', '/api/groups/udvalg/packets/p1/annotations/c1')).status).toBe(200);
    await waitFor(async () => (await rowsHolding(database, phrase)).length === 0, { what: 'the words gone from the tables' });
    expect(await rowsHolding(database, 'bliver')).not.toEqual([]);
    if (testBackend === 'sqlite') {
      // What the server's checkpoint worker does every few seconds: the file's pages are the new ones,
      // and secure_delete zeroed what the deleted rows held.
      const reader = new SQLite(database);
      reader.pragma('wal_checkpoint(PASSIVE)');
      reader.close();
      expect(existsSync(database) && readFileSync(database).includes(Buffer.from(phrase))).toBe(false);
    }
  });

  it('a deleted private note leaves no trace in the tables once its room has unloaded', async () => {
    const phrase = 'TAPIR-privat-9041';
    server = await startTestServer({ limits: { idleUnloadMs: 50 } });
    const { wsUrl, database } = server;
    const anne = await server.addUser('Anne', 'udvalg');
    const notes = await connectSynced(wsUrl, 'notes/p1', anne.token);
    clients.push(notes);
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', replyTo: null, body: phrase, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    await waitFor(async () => (await rowsHolding(database, phrase)).length > 0, { what: 'the note stored' });
    // As the extension deletes a note (annotator/controller.ts): the tombstone and the words cleared.
    patchAnnotation(notes.doc, 'n1', { deleted: true, body: '', tags: [] }, '2026-01-01T10:01:00Z');
    await waitFor(async () => {
      const snapshot = await server?.docs.load(`notes/${anne.id}/p1`);
      return snapshot && snapshot.updates.length >= 2;
    });
    notes.destroy();
    await waitFor(async () => (await rowsHolding(database, phrase)).length === 0, { what: 'the words gone after the unload' });
  });
});
