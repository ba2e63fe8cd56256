/**
 * The access log (docs/OPERATIONS.md, "Access log") over real sockets and HTTP: who opened which
 * group's room and who exported what, one row per user and room per window however often they
 * reconnect, nothing for a refused socket, never any note text; printed by `admin access-log` and
 * pruned after RANDNOTER_ACCESS_LOG_DAYS.
 */

import { accessEntries, insertAccessEntries } from '@randnoter/server/storage/access-log';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { runAdmin } from '../support/spawned-server.ts';
import { databaseArgs } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const PHRASE = 'ADGANGSLOG-MAA-ALDRIG-INDEHOLDE-DETTE';
const ROOM = '/api/groups/udvalg/packets/p1';

async function committee(server: TestServer) {
  const bo = await server.addUser('Bo Hansen', 'udvalg');
  const anne = await server.addUser('Anne Jensen', 'udvalg');
  const eve = await server.addUser('Eve Berg', 'andre');
  await server.setAccess('udvalg', bo.id, { role: 'secretary', closedAccess: true });
  await server.setAccess('udvalg', anne.id, { closedAccess: true });
  return { bo, anne, eve };
}

describe('access log', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('records each opening of a group room once per window, each export, and nothing for a refused socket', async () => {
    server = await startTestServer({ limits: { accessLogFlushMs: 20 } });
    const { bo, anne, eve } = await committee(server);
    expect((await api(server.url, bo.token, 'POST', `${ROOM}/annotations`, commentDraft('c1', PHRASE))).status).toBe(201);
    expect((await api(server.url, bo.token, 'PUT', `${ROOM}/items/3/access`, { closed: true })).status).toBe(200);
    await server.accessLog.writer.flush();
    await server.db.deleteFrom('access_log').execute();

    // A reconnect storm: ten sockets of Anne's on the group's room, one on the closed item's.
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await connectSynced(server.wsUrl, 'shared/udvalg/p1', anne.token));
    clients.push(await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', anne.token));
    // Her private notes are hers: opening them is not a group room's access.
    const notes = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', body: PHRASE, replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    clients.push(notes);
    // Eve is not a member: refused, and not logged.
    const refused = await openRawSocket(server.port, `/sync/shared/udvalg/p1?token=${eve.token}`);
    expect((await refused.closed).code).toBe(4404);
    expect((await api(server.url, anne.token, 'GET', `${ROOM}/annotations`)).status).toBe(200);
    const exported = await fetch(`${server.url}/api/packets/p1/export?format=md`, { headers: { authorization: `Bearer ${anne.token}` } });
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain(PHRASE);

    // Written by the writer's own timer, not by anything the test does.
    const db = server.db;
    const entries = await waitFor(async () => ((await accessEntries(db, {})).length >= 5 ? accessEntries(db, {}) : null), {
      what: 'the access log',
    });
    await server.accessLog.writer.flush();
    const rows = (await accessEntries(server.db, {})).map(({ id: _, at: __, ...e }) => e);
    expect(rows).toHaveLength(5);
    expect(rows).toEqual(
      expect.arrayContaining([
        { userId: anne.id, action: 'opened', via: 'socket', groupId: 'udvalg', packetId: 'p1', itemNumber: null, detail: null },
        { userId: anne.id, action: 'opened', via: 'socket', groupId: 'udvalg', packetId: 'p1', itemNumber: 3, detail: null },
        { userId: anne.id, action: 'opened', via: 'http', groupId: 'udvalg', packetId: 'p1', itemNumber: null, detail: null },
        { userId: anne.id, action: 'exported', via: 'http', groupId: 'udvalg', packetId: 'p1', itemNumber: null, detail: 'md' },
        { userId: anne.id, action: 'exported', via: 'http', groupId: 'udvalg', packetId: 'p1', itemNumber: 3, detail: 'md' },
      ]),
    );
    expect(entries.every((e) => e.userId !== eve.id)).toBe(true);
    // The log holds ids and kinds of access, never what was written.
    const stored = JSON.stringify(await server.db.selectFrom('access_log').selectAll().execute());
    expect(stored).not.toContain(PHRASE);
    for (const c of clients) c.destroy();
  });

  it('prints entries as JSON lines, filtered by user, group and time', async () => {
    server = await startTestServer({ limits: { accessLogFlushMs: 20 } });
    const { anne, bo } = await committee(server);
    await insertAccessEntries(server.db, [
      {
        at: '2026-11-01T08:00:00.000Z',
        userId: anne.id,
        action: 'opened',
        via: 'socket',
        groupId: 'udvalg',
        packetId: 'p1',
        itemNumber: null,
        detail: null,
      },
      {
        at: '2026-11-02T08:00:00.000Z',
        userId: bo.id,
        action: 'exported',
        via: 'http',
        groupId: 'udvalg',
        packetId: 'p1',
        itemNumber: 3,
        detail: 'docx',
      },
      {
        at: '2026-11-03T08:00:00.000Z',
        userId: anne.id,
        action: 'opened',
        via: 'http',
        groupId: 'andre',
        packetId: 'p2',
        itemNumber: null,
        detail: null,
      },
    ]);
    const on = databaseArgs(server.database);
    const lines = async (...args: string[]) =>
      (await runAdmin(['access-log', ...args, ...on])).stdout
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(await lines('--user', anne.id)).toEqual([
      {
        at: '2026-11-01T08:00:00.000Z',
        user: anne.id,
        action: 'opened',
        via: 'socket',
        group: 'udvalg',
        packet: 'p1',
        item: null,
        format: null,
      },
      {
        at: '2026-11-03T08:00:00.000Z',
        user: anne.id,
        action: 'opened',
        via: 'http',
        group: 'andre',
        packet: 'p2',
        item: null,
        format: null,
      },
    ]);
    expect((await lines('--group', 'udvalg')).map((l) => l.user)).toEqual([anne.id, bo.id]);
    expect((await lines('--group', 'udvalg', '--since', '2026-11-02')).map((l) => l.format)).toEqual(['docx']);
    await expect(runAdmin(['access-log', '--since', 'last week', ...on])).rejects.toThrow(/--since takes a date/);
  });

  it('removes entries older than RANDNOTER_ACCESS_LOG_DAYS by the server’s clock, and keeps the rest', async () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    server = await startTestServer({ limits: { accessLogDays: 30 }, clock: () => new Date(now) });
    const entry = (at: string) =>
      ({ at, userId: 'u1', action: 'opened', via: 'socket', groupId: 'g', packetId: 'p', itemNumber: null, detail: null }) as const;
    await insertAccessEntries(server.db, [
      entry('2026-11-07T11:59:59.999Z'),
      entry('2026-11-07T12:00:00.000Z'),
      entry('2026-12-01T00:00:00.000Z'),
    ]);
    expect(await server.accessLog.pruner.run()).toBe(1);
    expect((await accessEntries(server.db, {})).map((e) => e.at)).toEqual(['2026-11-07T12:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });
});
