/**
 * What notifications must not tell (docs/SECURITY.md, "A member of a group: mentions and
 * notifications"): nobody reads or marks another user's notifications; mentioning is no way to
 * learn who exists or who may read a closed item; a socket hears only its own user's
 * notifications; an unsubscribe link can only be made by the server, for the user it names.
 */
import { unsubscribeToken } from '@randnoter/server/notifications/unsubscribe-token';
import type { Notification } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { listenForNotifications, type NotificationClient } from '../support/notification-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const ROOM = '/api/groups/udvalg/packets/p1';

describe('notifications', () => {
  let server: TestServer;
  const clients: NotificationClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('are their recipient’s alone: another member neither sees, counts nor marks them, nor hears them on a socket', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const mallory = await server.addUser('Mallory', 'udvalg');
    const mallorys = await listenForNotifications(server.wsUrl, mallory.token);
    const bos = await listenForNotifications(server.wsUrl, bo.token);
    clients.push(mallorys, bos);
    await api(server.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c1', 'Til Bo', { mentions: [bo.id] }));
    await waitFor(() => bos.received.length === 1, { what: 'Bo’s notification' });
    const id = bos.received[0]?.id as string;

    expect((await api(server.url, mallory.token, 'GET', '/api/notifications')).body).toEqual([]);
    expect((await api(server.url, mallory.token, 'GET', '/api/notifications/unread-count')).body).toEqual({ count: 0 });
    expect((await api(server.url, mallory.token, 'POST', '/api/notifications/read', { ids: [id] })).body).toEqual({ read: 0 });
    expect((await api(server.url, mallory.token, 'POST', '/api/notifications/read', { packetId: 'p1' })).body).toEqual({ read: 0 });
    expect(mallorys.received).toEqual([]);
    const bosInbox = await api<Notification[]>(server.url, bo.token, 'GET', '/api/notifications?unread=1');
    expect(bosInbox.body.map((n) => n.id)).toEqual([id]);
  });

  it('answer a mention of someone who may not read a closed item exactly as a mention of nobody', async () => {
    server = await startTestServer();
    const sec = await server.addUser('Sif Sekretær', 'udvalg');
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const carl = await server.addUser('Carl Nielsen', 'udvalg');
    const eve = await server.addUser('Eve Berg', 'andre');
    await server.setAccess('udvalg', sec.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('udvalg', anne.id, { closedAccess: true });
    await api(server.url, sec.token, 'PUT', `${ROOM}/items/3/access`, { closed: true });
    const post = async (id: string, mentions: string[]) => {
      const answer = await api(server.url, anne.token, 'POST', `${ROOM}/items/3/annotations`, commentDraft(id, 'Fortroligt', { mentions }));
      return [answer.status, answer.body.mentions ?? null];
    };
    // Carl is in the group without closed access, Eve in another group, the third id nobody's.
    expect(await post('k1', [carl.id])).toEqual([201, null]);
    expect(await post('k2', [eve.id])).toEqual([201, null]);
    expect(await post('k3', ['findes-ikke'])).toEqual([201, null]);
    for (const who of [carl, eve]) expect((await api(server.url, who.token, 'GET', '/api/notifications')).body).toEqual([]);
  });

  it('refuse an unsubscribe link the server did not sign, and leave the named user’s e-mail on', async () => {
    server = await startTestServer();
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const forged = unsubscribeToken('a key the server does not have', bo.id, 'udvalg');
    const answer = await api(server.url, null, 'GET', `/api/notification-settings/unsubscribe?token=${encodeURIComponent(forged)}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'the unsubscribe link is not valid' });
    const settings = await api<{ groups: Array<{ email: boolean }> }>(server.url, bo.token, 'GET', '/api/notification-settings');
    expect(settings.body.groups[0]?.email).toBe(true);
  });
});
