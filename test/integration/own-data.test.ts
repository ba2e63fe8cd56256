/**
 * A person's own data (GET /api/me/export, `admin user export`): their profile, memberships,
 * private notes, the comments and replies they wrote in rooms they can still read (W3C Web
 * Annotations, with packet and agenda item), their access-log entries; nobody else's words, and
 * nothing of a closed item they were excluded from.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessEntries } from '@randnoter/server/storage/access-log';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import type { OwnDataExport } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, commentDraft } from '../support/api.ts';
import { runAdmin } from '../support/spawned-server.ts';
import { databaseArgs } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const FINGERPRINT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** The packet's id, as registering its fingerprint gives it. */
const PACKET = `fp-${FINGERPRINT}`;
const ROOM = `/api/groups/udvalg/packets/${PACKET}`;
const bodiesOf = (collection: { first: { items: Array<{ body: Array<{ value: string }> }> } }) =>
  collection.first.items.map((a) => a.body[0]?.value);

async function exportOf(server: TestServer, token: string): Promise<{ status: number; headers: Headers; data: OwnDataExport }> {
  const response = await fetch(`${server.url}/api/me/export`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, data: JSON.parse(await response.text()) as OwnDataExport };
}

describe('own data', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function world(s: TestServer) {
    const bo = await s.addUser('Bo Hansen', 'udvalg');
    const anne = await s.addUser('Anne Jensen', 'udvalg');
    const eve = await s.addUser('Eve Berg', 'andre');
    await s.setAccess('udvalg', bo.id, { role: 'secretary', closedAccess: true });
    await s.setAccess('udvalg', anne.id, { closedAccess: true });
    const registered = await api(s.url, anne.token, 'POST', '/api/packets', {
      fingerprint: FINGERPRINT,
      title: 'Socialudvalget 7. december',
      meetingDate: '2026-12-07',
    });
    expect(registered.body).toMatchObject({ packetId: PACKET });
    const notes = await connectSynced(s.wsUrl, `notes/${PACKET}`, anne.token);
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', body: 'ANNES-PRIVATE-NOTE', replyTo: null, color: null, tags: [], target: { page: 2 } },
      null,
      '2026-12-01T10:00:00Z',
    );
    const call = (token: string, method: string, path: string, body?: unknown) => api(s.url, token, method, path, body);
    expect((await call(bo.token, 'POST', `${ROOM}/annotations`, commentDraft('c-bo', 'BOS-COMMENT'))).status).toBe(201);
    const reply = { id: 'r-anne', kind: 'reply', replyTo: 'c-bo', body: 'ANNES-REPLY', target: { page: 3 } };
    expect((await call(anne.token, 'POST', `${ROOM}/annotations`, reply)).status).toBe(201);
    const agendaComment = commentDraft('c-anne', 'ANNES-COMMENT', { target: { page: 3, agendaItem: { number: 2, title: 'Budget' } } });
    expect((await call(anne.token, 'POST', `${ROOM}/annotations`, agendaComment)).status).toBe(201);
    for (const item of [3, 4]) {
      expect((await call(bo.token, 'PUT', `${ROOM}/items/${item}/access`, { closed: true })).status).toBe(200);
      const closed = await call(
        anne.token,
        'POST',
        `${ROOM}/items/${item}/annotations`,
        commentDraft(`c-closed-${item}`, `ANNES-CLOSED-${item}`),
      );
      expect(closed.status).toBe(201);
    }
    // Excluded from item 4 afterwards: that room is no longer one she can read.
    expect((await call(bo.token, 'PUT', `${ROOM}/items/4/access`, { closed: true, excluded: [anne.id] })).status).toBe(200);
    await waitFor(async () => (await call(anne.token, 'GET', `/api/notes/${PACKET}/annotations`)).text.includes('ANNES-PRIVATE-NOTE'), {
      what: "Anne's note stored",
    });
    notes.destroy();
    return { bo, anne, eve };
  }

  it('hands the signed-in user everything stored about them, and nothing of anyone else', async () => {
    // Rooms compacted at once: the export reads snapshots (Brotli-compressed), not only update logs.
    server = await startTestServer({ limits: { accessLogFlushMs: 20, compactAfterUpdates: 1, compactQuietMs: 0, compactMaxWaitMs: 0 } });
    const { anne, eve } = await world(server);
    const db = server.db;
    await waitFor(
      async () => (await db.selectFrom('doc_snapshots').select('room').where('room', '=', `shared/udvalg/${PACKET}`).execute()).length > 0,
      {
        what: 'the group room compacted',
      },
    );
    expect((await api(server.url, anne.token, 'GET', `${ROOM}/annotations`)).status).toBe(200);
    await server.accessLog.writer.flush();

    const { status, headers, data } = await exportOf(server, anne.token);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="randnoter-mine-data-\d{4}-\d{2}-\d{2}\.json"/);
    expect(data.format).toBe('randnoter-own-data/1');
    expect(data.user).toMatchObject({ id: anne.id, name: 'Anne Jensen' });
    expect(data.memberships).toEqual([{ group: { id: 'udvalg', name: 'udvalg' }, role: 'member', closedAccess: true, source: 'admin' }]);
    expect(data.signIns.tokens).toHaveLength(1);
    expect(data.packets.map((p) => p.title)).toEqual(['Socialudvalget 7. december']);
    expect(data.privateNotes).toHaveLength(1);
    expect(data.privateNotes[0]?.packet).toEqual({ id: PACKET, title: 'Socialudvalget 7. december', meetingDate: '2026-12-07' });
    expect(bodiesOf(data.privateNotes[0]?.annotations as never)).toEqual(['ANNES-PRIVATE-NOTE']);
    expect(data.privateNotes[0]?.annotations.type).toBe('AnnotationCollection');

    const open = data.sharedComments.find((s) => s.closedItem === null);
    expect(bodiesOf(open?.annotations as never).sort()).toEqual(['ANNES-COMMENT', 'ANNES-REPLY']);
    const items = open?.annotations.first.items ?? [];
    expect(items.find((a) => a.id.endsWith('c-anne'))).toMatchObject({ 'randnoter:agendaItem': { number: 2, title: 'Budget' } });
    expect(items.find((a) => a.id.endsWith('r-anne'))).toMatchObject({ motivation: 'replying' });
    expect(data.sharedComments.filter((s) => s.closedItem !== null).map((s) => s.closedItem)).toEqual([3]);

    const text = JSON.stringify(data);
    expect(text).not.toContain('BOS-COMMENT');
    expect(text).not.toContain('ANNES-CLOSED-4');
    expect(text).toContain('ANNES-CLOSED-3');
    expect(data.accessLog).toContainEqual(
      expect.objectContaining({ userId: anne.id, action: 'opened', via: 'http', groupId: 'udvalg', packetId: PACKET, itemNumber: null }),
    );
    expect(data.notifications).toEqual([]);

    const eves = await exportOf(server, eve.token);
    expect(eves.status).toBe(200);
    expect(JSON.stringify(eves.data)).not.toMatch(/ANNES|BOS/);
    expect(eves.data.sharedComments).toEqual([]);

    // The export is itself logged, for the person to see next time.
    await server.accessLog.writer.flush();
    const logged = await accessEntries(server.db, { userId: anne.id });
    expect(logged.filter((e) => e.action === 'own-data')).toMatchObject([{ via: 'http', groupId: null }]);
  });

  it('makes one export at a time: a second while the first is being sent is 429 (503 for another user), and leaving gives the turn back', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    // 24 MiB of notes in four rooms: more than the sockets between server and client buffer, so
    // an export nobody reads stays under way.
    for (let room = 0; room < 4; room++) {
      const doc = new Y.Doc();
      for (let i = 0; i < 600; i++) {
        const body = `${room}-${i} ${'x'.repeat(9_990)}`;
        insertAnnotation(
          doc,
          { id: `n${i}`, kind: 'note', body, replyTo: null, color: null, tags: [], target: { page: 1 } },
          null,
          '2026-12-01T10:00:00Z',
        );
      }
      await server.docs.append([{ room: `notes/${anne.id}/p${room}`, data: Y.encodeStateAsUpdate(doc) }]);
      doc.destroy();
    }
    const ask = () => fetch(`${server?.url}/api/me/export`, { headers: { authorization: `Bearer ${anne.token}` } });
    const first = await ask();
    expect(first.status).toBe(200);
    const second = await ask();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(((await second.json()) as { error: string }).error).toMatch(/already have an export under way/);
    // The process makes one own-data export at a time (RANDNOTER_EXPORT_CONCURRENCY): another user waits for it.
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const bos = await fetch(`${server.url}/api/me/export`, { headers: { authorization: `Bearer ${bo.token}` } });
    expect(bos.status).toBe(503);
    expect(bos.headers.get('retry-after')).toBe('10');
    await bos.text();
    await first.body?.cancel();
    const third = await waitFor(
      async () => {
        const answer = await ask();
        if (answer.status === 200) return answer;
        await answer.body?.cancel();
        return null;
      },
      { what: 'the turn given back' },
    );
    const data = JSON.parse(await third.text()) as OwnDataExport;
    expect(data.privateNotes.map((n) => n.annotations.total)).toEqual([600, 600, 600, 600]);
  });

  it('is written to a new file by `admin user export`, and logged as the command’s', async () => {
    server = await startTestServer();
    const { anne } = await world(server);
    const on = databaseArgs(server.database);
    const file = join(tmpdir(), `own-data-${process.pid}-${Date.now()}.json`);
    const printed = await runAdmin(['user', 'export', anne.id, '-o', file, ...on]);
    expect(printed.stdout).toContain(file);
    const data = JSON.parse(await readFile(file, 'utf8')) as OwnDataExport;
    expect(data.user.id).toBe(anne.id);
    expect(bodiesOf(data.privateNotes[0]?.annotations as never)).toEqual(['ANNES-PRIVATE-NOTE']);
    expect(data.sharedComments.flatMap((s) => bodiesOf(s.annotations as never)).sort()).toEqual([
      'ANNES-CLOSED-3',
      'ANNES-COMMENT',
      'ANNES-REPLY',
    ]);
    expect((await accessEntries(server.db, { userId: anne.id })).filter((e) => e.action === 'own-data')).toMatchObject([
      { via: 'command' },
    ]);
    await expect(runAdmin(['user', 'export', anne.id, '-o', file, ...on])).rejects.toThrow(/exists: give a new file/);
    await expect(runAdmin(['user', 'export', 'ingen-saadan', '-o', `${file}.2`, ...on])).rejects.toThrow(/no user ingen-saadan/);
  });
});
