/**
 * The HTTP API is written down once, in shared/protocol/http-api.ts, and both sides build on it:
 * the server registers its routes from the contract's paths and checks bodies with its schemas;
 * the extension calls the same paths with bodies of the schemas' input types. These tests walk the
 * contract route by route against a real server (what it refuses to strangers and to bodies that
 * are not JSON: test/security/request-bodies.test.ts).
 */

import { readUnsubscribeToken, unsubscribeToken } from '@randnoter/server/notifications/unsubscribe-token';
import {
  type AnswerOf,
  type BodyOf,
  type ErrorAnswer,
  HttpApi,
  type ParamsOf,
  pathOf,
  type RouteName,
} from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FINGERPRINT = 'ab'.repeat(16);

describe('the HTTP contract', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  /** A call as a client of the contract makes it: typed path parameters, body and answer. */
  const caller =
    (token: string, visited: Set<RouteName> = new Set()) =>
    async <R extends RouteName>(route: R, params: ParamsOf<(typeof HttpApi)[R]['path']>, body?: BodyOf<R>, query = '') => {
      visited.add(route);
      const { method, path } = HttpApi[route];
      return api<AnswerOf<R> & ErrorAnswer>(server.url, token, method, pathOf<(typeof HttpApi)[R]['path']>(path, params) + query, body);
    };

  it('is served route by route: every path and method answers a member as the contract says', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const visited = new Set<RouteName>();
    const call = caller(anne.token, visited);

    const registered = await call('registerPacket', {}, { fingerprint: FINGERPRINT, title: 'Socialudvalget', pageCount: 17 });
    expect(registered.status).toBe(201);
    const { packetId } = registered.body;
    expect(registered.body).toMatchObject({ created: true, newVersion: false, version: `urn:x-pdf:${FINGERPRINT}` });
    const room = { groupId: 'udvalg', packetId };

    expect((await call('me', {})).body).toEqual({
      id: anne.id,
      name: 'Anne Jensen',
      nameFromSignIn: false,
      groups: [{ id: 'udvalg', name: 'udvalg', role: 'member', closedAccess: false }],
    });
    expect((await call('renameMe', {}, { name: 'Anne Jensen' })).body).toMatchObject({ id: anne.id, name: 'Anne Jensen' });
    // Listed once the user has something in it (below).
    expect((await call('listPackets', {})).body.packets).toEqual([]);
    // A group's members are for its secretaries: Anne, a member, is told so.
    expect((await call('groupMembers', { groupId: 'udvalg' })).status).toBe(403);

    const created = await call('createAnnotation', room, { id: 'c1', kind: 'comment', body: 'Hvad koster det?', target: { page: 3 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'c1', author: { id: anne.id }, color: null, tags: [], replyTo: null });
    // The colour is one of the things an edit may change, as the extension's outbox sends it.
    const coloured = await call('editAnnotation', { ...room, id: 'c1' }, { color: '#00ff00' });
    expect(coloured.body).toMatchObject({ id: 'c1', color: '#00ff00', body: 'Hvad koster det?' });
    expect((await call('editAnnotation', { ...room, id: 'c1' }, { color: null, resolved: true })).body).toMatchObject({
      color: null,
      resolved: true,
    });

    expect((await call('notes', { packetId })).body).toMatchObject({ type: 'AnnotationCollection', total: 0 });
    const shared = await call('sharedAnnotations', room);
    expect(shared.body).toMatchObject({ type: 'AnnotationCollection', total: 1 });
    expect(shared.headers.get('content-type')).toMatch(/^application\/ld\+json/);

    const correction = { items: [{ number: 1, label: 'Sag 1', title: 'Budget', firstPage: 2, attachments: [] }] };
    const shared2 = await call('shareAgenda', room, correction);
    expect(shared2.body.correction).toMatchObject({ ...correction, pages: 17, by: { id: anne.id, name: 'Anne Jensen' } });
    expect((await call('groupAgenda', room)).body.correction).toEqual(shared2.body.correction);
    expect((await call('removeAgenda', room)).body).toEqual({ correction: null });

    // A closed item: a secretary with closed access marks it, then comments in its room.
    await server.setAccess('udvalg', anne.id, { role: 'secretary', closedAccess: true });
    const item = { ...room, itemNumber: '4' };
    expect((await call('setItemAccess', item, { closed: true })).body).toMatchObject({
      itemNumber: 4,
      closed: true,
      excluded: [],
      moved: 0,
    });
    expect((await call('closedItems', room)).body).toEqual({ items: [{ itemNumber: 4, mayRead: true, excluded: [] }] });
    const closedComment = { id: 'k1', kind: 'comment', body: 'Fortroligt', target: { page: 9 } } as const;
    expect((await call('createClosedAnnotation', item, closedComment)).status).toBe(201);
    expect((await call('editClosedAnnotation', { ...item, id: 'k1' }, { resolved: true })).body).toMatchObject({ resolved: true });
    expect((await call('closedAnnotations', item)).body).toMatchObject({ type: 'AnnotationCollection', total: 1 });
    expect((await call('deleteClosedAnnotation', { ...item, id: 'k1' })).body).toMatchObject({ id: 'k1', deleted: true });

    const exported = await call('exportPacket', { packetId }, undefined, '?format=csv&group=udvalg');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);

    const own = await call('ownData', {});
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ format: 'randnoter-own-data/1', user: { id: anne.id }, notifications: [] });

    expect((await call('deleteAnnotation', { ...room, id: 'c1' })).body).toMatchObject({ id: 'c1', deleted: true });
    expect((await call('listPackets', {})).body.packets.map((p) => [p.packetId, p.title, p.pageCount])).toEqual([
      [packetId, 'Socialudvalget', 17],
    ]);
    // The user's own erasure, asked for and taken back within the grace period.
    const erasure = await call('eraseMe', {});
    expect(erasure.status).toBe(202);
    expect((await call('me', {})).body.eraseAt).toBe(erasure.body.eraseAt);
    expect((await call('cancelErasure', {})).body).toEqual({ cancelled: true });

    // Notifications: Bo mentions Anne; her inbox, badge, settings and an e-mail's unsubscribe link.
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    expect((await call('groupAudience', { groupId: 'udvalg' })).body.members).toEqual([
      { id: anne.id, name: 'Anne Jensen' },
      { id: bo.id, name: 'Bo Hansen' },
    ]);
    expect((await call('closedAudience', item)).body.members).toEqual([{ id: anne.id, name: 'Anne Jensen' }]);
    const mention = { id: 'c2', kind: 'comment' as const, body: 'Anne?', target: { page: 3 }, mentions: [anne.id] };
    expect((await caller(bo.token)('createAnnotation', room, mention)).body.mentions).toEqual([anne.id]);
    const [note] = (await call('notifications', {}, undefined, '?unread=1')).body;
    expect(note).toMatchObject({ reason: 'mention', actor: { id: bo.id, name: 'Bo Hansen' }, annotationId: 'c2', read: false });
    expect((await call('unreadCount', {})).body).toEqual({ count: 1 });
    expect((await call('readNotifications', {}, { ids: [note?.id as string] })).body).toEqual({ read: 1 });
    expect((await call('notificationSettings', {})).body.groups).toEqual([
      { groupId: 'udvalg', groupName: 'udvalg', level: 'mentionsAndReplies', email: true },
    ]);
    expect((await call('setNotificationSettings', {}, { groups: [{ groupId: 'udvalg', level: 'all' }] })).body.groups[0]?.level).toBe(
      'all',
    );
    const key = (await server.db.selectFrom('server_secrets').select('value').executeTakeFirstOrThrow()).value;
    const token = unsubscribeToken(key, anne.id, 'udvalg');
    expect(readUnsubscribeToken(key, token)).toEqual({ userId: anne.id, groupId: 'udvalg' });
    const unsubscribed = await call('unsubscribe', {}, undefined, `?token=${encodeURIComponent(token)}`);
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.text).toContain('udvalg');
    expect((await call('notificationSettings', {})).body.groups[0]).toMatchObject({ level: 'all', email: false });

    expect([...visited].sort()).toEqual(Object.keys(HttpApi).sort());
  });
});
