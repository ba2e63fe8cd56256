/**
 * Real erasure (docs/OPERATIONS.md, "Erasure"): after `randnoter admin user erase`, nothing the
 * user wrote, nor their name, can be read back from the database: not from its tables (through
 * SQL, on SQLite and PostgreSQL), not from the SQLite file's free pages or its WAL, not from a
 * backup taken afterwards. Their comments stay in colleagues' threads as "[slettet]".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { runAdmin, SOURCES_MAIN } from '../support/spawned-server.ts';
import { filesHolding, rowsHolding } from '../support/stored-phrase.ts';
import { databaseArgs, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const NOTE_PHRASE = 'QUOKKA-privat-7731';
const COMMENT_PHRASE = 'PANGOLIN-delt-5519';
const NAME = 'Xenia Zyxwert';

type Listed = { items: Array<{ id: string; bodyValue?: string; body?: unknown; creator?: { name?: string } }> };

describe('erasing a user', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  it('leaves no word of their notes or comments (open and closed items), nor their name, in the database, its WAL or a later backup', async () => {
    const running = await startTestServer({ limits: { reauthIntervalMs: 50 } });
    server = running;
    const { url, wsUrl, database } = running;
    const files = testBackend === 'sqlite' ? [database, `${database}-wal`] : [];
    const xenia = await server.addUser(NAME, 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');

    // Private notes in two packets, through the notes room as the extension writes them.
    for (const packet of ['p1', 'p2']) {
      const notes = await connectSynced(wsUrl, `notes/${packet}`, xenia.token);
      clients.push(notes);
      insertAnnotation(
        notes.doc,
        { id: `n-${packet}`, kind: 'note', replyTo: null, body: `${NOTE_PHRASE} i ${packet}`, color: null, tags: [], target: { page: 1 } },
        null,
        '2026-01-01T10:00:00Z',
      );
    }
    // A shared comment, a colleague's reply to it, and a closed item's comment.
    expect(
      (
        await api(
          url,
          xenia.token,
          'POST',
          '/api/groups/udvalg/packets/p1/annotations',
          commentDraft('c1', `${COMMENT_PHRASE} først`, { mentions: [bo.id] }),
        )
      ).status,
    ).toBe(201);
    const reply = { id: 'r1', kind: 'reply', replyTo: 'c1', body: 'Enig med dig', target: { page: 3 } };
    expect((await api(url, bo.token, 'POST', '/api/groups/udvalg/packets/p1/annotations', reply)).status).toBe(201);
    const resolved = await api(url, xenia.token, 'PATCH', '/api/groups/udvalg/packets/p1/annotations/r1', { resolved: true });
    expect(resolved.status).toBe(200);
    // As a secretary, a comment on a closed agenda item: its own room (docs/CLOSED-ITEMS.md).
    await server.setAccess('udvalg', xenia.id, { role: 'secretary', closedAccess: true });
    expect((await api(url, xenia.token, 'PUT', '/api/groups/udvalg/packets/p1/items/4/access', { closed: true })).status).toBe(200);
    const closedComment = { id: 'k1', kind: 'comment', body: `${COMMENT_PHRASE} lukket`, target: { page: 9 } };
    expect((await api(url, xenia.token, 'POST', '/api/groups/udvalg/packets/p1/items/4/annotations', closedComment)).status).toBe(201);
    const watcher = await connectSynced(wsUrl, 'shared/udvalg/p1', bo.token);
    clients.push(watcher);
    const closes: number[] = [];
    watcher.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));

    // Before: the phrases are there to be found (the test can fail).
    await waitFor(async () => (await rowsHolding(database, NOTE_PHRASE)).length >= 2, { what: 'the notes stored' });
    expect(await rowsHolding(database, COMMENT_PHRASE)).not.toEqual([]);
    expect(await rowsHolding(database, NAME)).not.toEqual([]);
    if (testBackend === 'sqlite') expect(filesHolding(files, NOTE_PHRASE)).not.toEqual([]);
    // Her mention told Bo, Bo's reply told her (docs/NOTIFICATIONS.md): both go with her.
    const notificationsOfXenia = () =>
      running.db
        .selectFrom('notifications')
        .select('id')
        .where((eb) => eb.or([eb('recipient_id', '=', xenia.id), eb('actor_id', '=', xenia.id)]))
        .execute();
    await waitFor(async () => (await notificationsOfXenia()).length >= 2, { what: 'the mention and the reply notified' });

    const { stdout } = await runAdmin(['user', 'erase', xenia.id, ...databaseArgs(database)], {}, SOURCES_MAIN);
    expect(stdout).toMatch(/Erased user .*: 2 notes rooms removed, 2 comments emptied in 2 group rooms/);

    // The colleague's thread still makes sense: the comment is a placeholder without author.
    const listed = await api<Listed>(url, bo.token, 'GET', '/api/groups/udvalg/packets/p1/annotations');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(NAME);
    expect(JSON.stringify(listed.body)).not.toContain(COMMENT_PHRASE);
    expect(JSON.stringify(listed.body)).toContain('[slettet]');
    expect(JSON.stringify(listed.body)).toContain('Enig med dig');
    // The colleague's open socket was told to drop its copy (1012, as the extension does: docs/PROTOCOL.md);
    // a client syncing afresh gets the rewritten room.
    await waitFor(() => closes.includes(1012), { what: 'the watcher told to resync' });
    const fresh = await connectSynced(wsUrl, 'shared/udvalg/p1', bo.token);
    clients.push(fresh);
    const freshJson = JSON.stringify(fresh.doc.getMap('annotations').toJSON());
    expect(freshJson).not.toContain(COMMENT_PHRASE);
    expect(freshJson).toContain('Enig med dig');

    // The user is gone: token refused, nothing left under their name; a record without content stays.
    expect((await api(url, xenia.token, 'GET', '/api/me')).status).toBe(401);
    const records = await server.db.selectFrom('erasures').selectAll().execute();
    expect(records).toMatchObject([{ subject_kind: 'user', subject_id: xenia.id, by: 'admin' }]);
    expect(await notificationsOfXenia()).toEqual([]);

    // Asked again, it says what was done; an unknown id is an error, and no request is left behind.
    expect((await runAdmin(['user', 'erase', xenia.id, ...databaseArgs(database)], {}, SOURCES_MAIN)).stdout).toMatch(
      /Erased user .*: 2 notes rooms/,
    );
    expect((await runAdmin(['user', 'erase', 'nobody', ...databaseArgs(database)], {}, SOURCES_MAIN)).stdout).toContain(
      'error: no user nobody',
    );
    expect(await server.db.selectFrom('erasure_requests').selectAll().execute()).toEqual([]);

    for (const phrase of [NOTE_PHRASE, COMMENT_PHRASE, NAME]) expect(await rowsHolding(database, phrase), phrase).toEqual([]);
    if (testBackend === 'sqlite') {
      const backup = join(mkdtempSync(join(tmpdir(), 'randnoter-backup-')), 'after.sqlite');
      await runAdmin(['backup', backup, ...databaseArgs(database)], {}, SOURCES_MAIN);
      for (const phrase of [NOTE_PHRASE, COMMENT_PHRASE, NAME]) expect(filesHolding([...files, backup], phrase), phrase).toEqual([]);
    }
  });

  it('is the user’s own to ask for: carried out after 24 hours unless cancelled, also by a server started since', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const clock = () => now;
    server = await startTestServer({ clock, limits: { erasureCheckMs: 20 } });
    const { url, database } = server;
    const xenia = await server.addUser(NAME, 'udvalg');
    expect(
      (await api(url, xenia.token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', COMMENT_PHRASE))).status,
    ).toBe(201);

    const asked = await api<{ eraseAt: string }>(url, xenia.token, 'DELETE', '/api/me');
    expect(asked).toMatchObject({ status: 202, body: { eraseAt: '2026-03-02T12:00:00.000Z' } });
    expect((await api(url, xenia.token, 'GET', '/api/me')).body).toMatchObject({ eraseAt: '2026-03-02T12:00:00.000Z' });
    expect((await api(url, xenia.token, 'DELETE', '/api/me/erasure')).status).toBe(200);
    expect((await api(url, xenia.token, 'DELETE', '/api/me/erasure')).status).toBe(404);
    expect((await api(url, xenia.token, 'GET', '/api/me')).body).not.toHaveProperty('eraseAt');

    // Asked again; a day later, with a server started since, it happens.
    expect((await api(url, xenia.token, 'DELETE', '/api/me')).status).toBe(202);
    now = new Date('2026-03-02T11:59:00Z');
    await server.close();
    server = await startTestServer({ clock, database, limits: { erasureCheckMs: 20 } });
    const restarted = server;
    // Not yet: a check ran (or several) and the user is still there.
    await waitFor(async () => (await api(restarted.url, xenia.token, 'GET', '/api/me')).status === 200);
    now = new Date('2026-03-02T12:00:01Z');
    await waitFor(async () => (await api(restarted.url, xenia.token, 'GET', '/api/me')).status === 401, { what: 'the erasure' });
    await waitFor(async () => (await restarted.db.selectFrom('erasures').selectAll().execute()).length === 1);
    expect(await restarted.db.selectFrom('erasures').selectAll().execute()).toMatchObject([{ subject_id: xenia.id, by: 'self' }]);
    expect(await rowsHolding(database, COMMENT_PHRASE)).toEqual([]);
    expect(await rowsHolding(database, NAME)).toEqual([]);
  });
});
