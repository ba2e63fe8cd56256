/**
 * Mentions and notifications (docs/NOTIFICATIONS.md): the server keeps only mentions of people who
 * can see a comment, makes one notification per (recipient, comment, reason) when it applies an
 * intent, delivers it live on sockets that ask for it, and answers the inbox's routes.
 */
import { eraseUserNotifications } from '@randnoter/server/storage/notifications';
import type { Notification, NotificationSettings } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { listenForNotifications } from '../support/notification-client.ts';
import { runAdmin } from '../support/spawned-server.ts';
import { databaseArgs } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

type Member = { id: string; name: string; token: string };

const ROOM = '/api/groups/udvalg/packets/p1';

async function committee(server: TestServer) {
  const anne = await server.addUser('Anne Jensen', 'udvalg');
  const bo = await server.addUser('Bo Hansen', 'udvalg');
  const carl = await server.addUser('Carl Nielsen', 'udvalg');
  const eve = await server.addUser('Eve Berg', 'andre');
  return { anne, bo, carl, eve };
}

const reply = (id: string, replyTo: string, body: string, extra: Record<string, unknown> = {}) =>
  commentDraft(id, body, { kind: 'reply', replyTo, ...extra });

describe('mentions and notifications', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  const inbox = async (who: Member, query = '') => {
    const answer = await api<Notification[]>(server.url, who.token, 'GET', `/api/notifications${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const post = (who: Member, body: unknown, path = `${ROOM}/annotations`) => api(server.url, who.token, 'POST', path, body);

  it('keeps only mentions of people who can see the comment, and notifies only them', async () => {
    server = await startTestServer();
    const { anne, bo, eve } = await committee(server);
    const created = await post(anne, commentDraft('c1', 'Hvad siger @Bo?', { mentions: [bo.id, eve.id, 'nobody-at-all', bo.id, anne.id] }));
    expect(created.status).toBe(201);
    expect(created.body.mentions).toEqual([bo.id, anne.id]);
    const [note, ...more] = await inbox(bo);
    expect(more).toEqual([]);
    expect(note).toMatchObject({
      reason: 'mention',
      actor: { id: anne.id, name: 'Anne Jensen' },
      groupId: 'udvalg',
      packetId: 'p1',
      annotationId: 'c1',
      quote: 'budget',
      read: false,
    });
    expect(note?.id).toMatch(/^[1-9][0-9]*$/);
    // The author mentioned herself: never notified of her own comment. Eve is not in the group.
    expect(await inbox(anne)).toEqual([]);
    expect(await inbox(eve)).toEqual([]);
  });

  it('refuses more than 25 mentions with a clear error and stores nothing', async () => {
    server = await startTestServer();
    const { anne } = await committee(server);
    const mentions = Array.from({ length: 26 }, (_, i) => `u${i}`);
    const refused = await post(anne, commentDraft('c1', 'Alle sammen', { mentions }));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('mentions must name at most 25 people');
    const list = await api<{ first?: { items: unknown[] } }>(server.url, anne.token, 'GET', `${ROOM}/annotations`);
    expect(list.body.first?.items ?? []).toEqual([]);
  });

  it('tells a comment’s author about replies and everyone in the thread about the next reply, never the one who wrote it', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    await post(anne, commentDraft('c1', 'Spørgsmål'));
    expect((await post(bo, reply('r1', 'c1', 'Svar fra Bo'))).status).toBe(201);
    expect((await post(carl, reply('r2', 'c1', 'Svar fra Carl', { mentions: [anne.id] }))).status).toBe(201);
    // Anne: Bo's reply; then Carl's, which also mentions her: one notification for it, the mention.
    expect((await inbox(anne)).map((n) => [n.reason, n.annotationId, n.actor.name])).toEqual([
      ['mention', 'r2', 'Carl Nielsen'],
      ['reply', 'r1', 'Bo Hansen'],
    ]);
    expect((await inbox(bo)).map((n) => [n.reason, n.annotationId])).toEqual([['thread', 'r2']]);
    expect(await inbox(carl)).toEqual([]);
  });

  it('notifies someone newly mentioned by an edit once, however often the comment is edited or the intent retried', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    const bos = await listenForNotifications(server.wsUrl, bo.token);
    clients.push(bos);
    await post(anne, commentDraft('c1', 'Spørgsmål', { mentions: [bo.id] }));
    // The same create again (the client lost the answer): no second notification.
    expect((await post(anne, commentDraft('c1', 'Spørgsmål', { mentions: [bo.id] }))).status).toBe(200);
    const edit = (body: unknown) => api(server.url, anne.token, 'PATCH', `${ROOM}/annotations/c1`, body);
    expect((await edit({ mentions: [bo.id, carl.id] })).body.mentions).toEqual([bo.id, carl.id]);
    expect((await edit({ body: 'Spørgsmål, rettet', mentions: [bo.id, carl.id] })).status).toBe(200);
    expect((await edit({ mentions: [bo.id] })).status).toBe(200);
    expect((await edit({ mentions: [bo.id, carl.id] })).status).toBe(200);
    expect((await inbox(bo)).map((n) => n.reason)).toEqual(['mention']);
    expect((await inbox(carl)).map((n) => n.reason)).toEqual(['mention']);
    // Nor live: once a later comment has arrived on Bo's socket, c1 has come exactly once.
    await post(anne, commentDraft('c9', 'Senere', { mentions: [bo.id] }));
    await waitFor(() => bos.received.some((n) => n.annotationId === 'c9'), { what: 'c9 on Bo’s socket' });
    expect(bos.received.map((n) => n.annotationId)).toEqual(['c1', 'c9']);
    // Only the author changes whom her comment mentions.
    const bosEdit = await api(server.url, bo.token, 'PATCH', `${ROOM}/annotations/c1`, { mentions: [carl.id] });
    expect(bosEdit.status).toBe(403);
  });

  it('tells members who follow the group about new comments on packets they opened, as their settings say', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    const settings = (who: Member, body: unknown) =>
      api<NotificationSettings>(server.url, who.token, 'PUT', '/api/notification-settings', body);
    expect((await settings(bo, { groups: [{ groupId: 'udvalg', level: 'all' }] })).body.groups).toEqual([
      { groupId: 'udvalg', groupName: 'udvalg', level: 'all', email: true },
    ]);
    await settings(carl, { groups: [{ groupId: 'udvalg', level: 'all' }] });
    // Bo opens the packet (his socket joins its shared room); Carl never does.
    clients.push(await connectSynced(server.wsUrl, 'shared/udvalg/p1', bo.token));
    await waitFor(async () => (await server.db.selectFrom('packet_opens').selectAll().execute()).length === 1, { what: 'the open' });
    await post(anne, commentDraft('c1', 'Ny kommentar'));
    expect((await inbox(bo)).map((n) => [n.reason, n.annotationId])).toEqual([['follow', 'c1']]);
    expect(await inbox(carl)).toEqual([]);

    // Level none: not even a mention.
    await settings(bo, { groups: [{ groupId: 'udvalg', level: 'none' }] });
    await post(anne, commentDraft('c2', 'Til Bo', { mentions: [bo.id] }));
    expect((await inbox(bo)).map((n) => n.annotationId)).toEqual(['c1']);
  });

  it('marks notifications read by id or by packet, counts the unread, and pages newest first', async () => {
    server = await startTestServer({ limits: { notificationPageSize: 2 } });
    const { anne, bo } = await committee(server);
    for (const id of ['c1', 'c2', 'c3']) await post(anne, commentDraft(id, 'Til Bo', { mentions: [bo.id] }));
    const count = async () => (await api<{ count: number }>(server.url, bo.token, 'GET', '/api/notifications/unread-count')).body.count;
    expect(await count()).toBe(3);
    const first = await inbox(bo);
    expect(first.map((n) => n.annotationId)).toEqual(['c3', 'c2']);
    expect((await inbox(bo, `?before=${first[1]?.id}`)).map((n) => n.annotationId)).toEqual(['c1']);

    const read = (body: unknown) => api<{ read?: number; error?: string }>(server.url, bo.token, 'POST', '/api/notifications/read', body);
    expect((await read({ ids: [first[0]?.id] })).body).toEqual({ read: 1 });
    expect(await count()).toBe(2);
    expect((await inbox(bo, '?unread=1')).map((n) => n.annotationId)).toEqual(['c2', 'c1']);
    // Anne cannot mark Bo's: ids are only ever the caller's own.
    expect((await api(server.url, anne.token, 'POST', '/api/notifications/read', { ids: [first[1]?.id] })).body).toEqual({ read: 0 });
    // By the comment, as the viewer knows it once the reader has seen it.
    expect((await read({ packetId: 'p1', annotationIds: ['c2'] })).body).toEqual({ read: 1 });
    expect((await read({ packetId: 'other', annotationIds: ['c1'] })).body).toEqual({ read: 0 });
    expect((await read({ packetId: 'p1' })).body).toEqual({ read: 1 });
    expect(await count()).toBe(0);
    expect((await inbox(bo)).every((n) => n.read)).toBe(true);

    expect((await read({ ids: [] })).status).toBe(400);
    expect((await read({ ids: ['x'] })).body.error).toBe('ids[0] must be a notification id');
    // Past the id column's range: refused as any other bad id (PostgreSQL would otherwise fail the query).
    expect((await read({ ids: ['2147483648'] })).body.error).toBe('ids[0] must be a notification id');
    expect((await api(server.url, bo.token, 'GET', '/api/notifications?before=99999999999')).status).toBe(400);
    expect((await read({ packetId: 'p1', ids: [] })).body.error).toBe('the request body has an unknown field "ids"');
    expect((await read({ packetId: 'p1', annotationIds: [] })).body.error).toBe('annotationIds must name at least one annotation');
    expect((await api(server.url, bo.token, 'GET', '/api/notifications?unread=yes')).body.error).toBe('unread must be 0 or 1');
  });

  it('refuses settings for a group the caller is not in, as if it did not exist, and changes nothing', async () => {
    server = await startTestServer();
    const { bo } = await committee(server);
    const put = await api(server.url, bo.token, 'PUT', '/api/notification-settings', {
      groups: [
        { groupId: 'udvalg', email: false },
        { groupId: 'andre', level: 'all' },
      ],
    });
    expect(put.status).toBe(404);
    const got = await api<NotificationSettings>(server.url, bo.token, 'GET', '/api/notification-settings');
    expect(got.body).toEqual({
      emailAddress: null,
      groups: [{ groupId: 'udvalg', groupName: 'udvalg', level: 'mentionsAndReplies', email: true }],
    });
    const bad = await api(server.url, bo.token, 'PUT', '/api/notification-settings', { groups: [{ groupId: 'udvalg', level: 'loud' }] });
    expect(bad.body.error).toBe('groups[0].level must be all, mentionsAndReplies or none');
  });

  it('delivers a new notification on the recipient’s open socket within a second', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    const bos = await listenForNotifications(server.wsUrl, bo.token);
    const carls = await listenForNotifications(server.wsUrl, carl.token);
    clients.push(bos, carls);
    const sent = Date.now();
    await post(anne, commentDraft('c1', 'Til Bo', { mentions: [bo.id] }));
    await waitFor(() => bos.received.length === 1, { what: 'the notification on Bo’s socket', timeoutMs: 1_000 });
    const [live] = bos.received;
    expect((live?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThan(1_000);
    const [stored] = await inbox(bo);
    expect({ ...live, at: undefined }).toEqual({ ...stored, at: undefined });
    expect(carls.received).toEqual([]);
  });

  it('forgets the notifications about a comment that is deleted', async () => {
    server = await startTestServer();
    const { anne, bo } = await committee(server);
    await post(anne, commentDraft('c1', 'Til Bo', { mentions: [bo.id] }));
    expect(await inbox(bo)).toHaveLength(1);
    expect((await api(server.url, anne.token, 'DELETE', `${ROOM}/annotations/c1`)).status).toBe(200);
    expect(await inbox(bo)).toEqual([]);
    // And one an administrator removes.
    await post(anne, commentDraft('c2', 'Til Bo igen', { mentions: [bo.id] }));
    expect(await inbox(bo)).toHaveLength(1);
    const removed = await runAdmin(['comment', 'remove', 'udvalg', 'p1', 'c2', ...databaseArgs(server.database)]);
    expect(removed.stdout).toContain('Removed comment c2');
    expect(await inbox(bo)).toEqual([]);
  });

  it('erases what notifications hold of a user: those they got, those their comments made, their settings and opens', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    await api(server.url, bo.token, 'PUT', '/api/notification-settings', { groups: [{ groupId: 'udvalg', level: 'all' }] });
    clients.push(await connectSynced(server.wsUrl, 'shared/udvalg/p1', bo.token));
    await waitFor(async () => (await server.db.selectFrom('packet_opens').selectAll().execute()).length === 1, { what: 'the open' });
    await post(anne, commentDraft('c1', 'Til Bo og Carl', { mentions: [bo.id, carl.id] }));
    await post(bo, commentDraft('c2', 'Til Carl', { mentions: [carl.id] }));
    await eraseUserNotifications(server.db, bo.id);
    expect(await inbox(bo)).toEqual([]);
    expect((await inbox(carl)).map((n) => n.actor.id)).toEqual([anne.id]);
    expect(await server.db.selectFrom('packet_opens').selectAll().execute()).toEqual([]);
    expect(await server.db.selectFrom('notification_settings').selectAll().execute()).toEqual([]);
  });

  it('lists a group’s members by name for any member (whom a comment can mention), and nobody else', async () => {
    server = await startTestServer();
    const { anne, eve } = await committee(server);
    const audience = await api<{ members: unknown[] }>(server.url, anne.token, 'GET', '/api/groups/udvalg/audience');
    expect(audience.body.members).toEqual([
      { id: anne.id, name: 'Anne Jensen' },
      { id: expect.any(String), name: 'Bo Hansen' },
      { id: expect.any(String), name: 'Carl Nielsen' },
    ]);
    expect((await api(server.url, eve.token, 'GET', '/api/groups/udvalg/audience')).status).toBe(404);
    expect((await api(server.url, eve.token, 'GET', '/api/groups/nowhere/audience')).status).toBe(404);
  });
});

describe('notifications about closed items', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('drops mentions of members who may not read the item, and never shows a notification to someone excluded since', async () => {
    server = await startTestServer();
    const { anne, bo, carl } = await committee(server);
    const sec = await server.addUser('Sif Secretary', 'udvalg');
    await server.setAccess('udvalg', sec.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('udvalg', anne.id, { closedAccess: true });
    await server.setAccess('udvalg', bo.id, { closedAccess: true });
    const access = (excluded: string[]) => api(server.url, sec.token, 'PUT', `${ROOM}/items/3/access`, { closed: true, excluded });
    expect((await access([])).status).toBe(200);

    const audience = await api<{ members: Array<{ name: string }> }>(server.url, anne.token, 'GET', `${ROOM}/items/3/audience`);
    expect(audience.body.members.map((m) => m.name)).toEqual(['Anne Jensen', 'Bo Hansen', 'Sif Secretary']);
    expect((await api(server.url, carl.token, 'GET', `${ROOM}/items/3/audience`)).status).toBe(404);

    const created = await api(server.url, anne.token, 'POST', `${ROOM}/items/3/annotations`, {
      ...commentDraft('k1', 'Fortroligt', { mentions: [bo.id, carl.id] }),
      target: { page: 3, agendaItem: { number: 3, title: 'Lukket' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.mentions).toEqual([bo.id]);
    const inbox = async (who: Member) => (await api<Notification[]>(server.url, who.token, 'GET', '/api/notifications')).body;
    expect((await inbox(bo)).map((n) => [n.reason, n.itemNumber])).toEqual([['mention', 3]]);
    expect(await inbox(carl)).toEqual([]);

    // Bo is excluded afterwards: the notification about the item is no longer his to see or count.
    expect((await access([bo.id])).status).toBe(200);
    expect(await inbox(bo)).toEqual([]);
    expect((await api<{ count: number }>(server.url, bo.token, 'GET', '/api/notifications/unread-count')).body.count).toBe(0);
  });
});
