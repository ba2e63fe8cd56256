/**
 * Closed agenda items (docs/CLOSED-ITEMS.md): roles and closed access on memberships, a
 * secretary's marking (audited), a room per closed item with its own intents, comments moved
 * between rooms when an item is marked or unmarked, and the export. What others must not learn
 * is in test/security/closed-items.test.ts.
 */
import { accessAuditOf } from '@randnoter/server/storage/closed-items';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { lastWord, runAdmin } from '../support/spawned-server.ts';
import { databaseArgs, tempDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { closeCodeOf } from '../support/ws-socket.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

type Member = { id: string; name: string; token: string };

/** A committee: Bo the secretary, Anne with closed access, Carl without, Dan with access (to be excluded), Eve from another group. */
async function committee(server: TestServer) {
  const bo = await server.addUser('Bo Hansen', 'udvalg');
  const anne = await server.addUser('Anne Jensen', 'udvalg');
  const carl = await server.addUser('Carl Nielsen', 'udvalg');
  const dan = await server.addUser('Dan Olsen', 'udvalg');
  const eve = await server.addUser('Eve Berg', 'andre');
  await server.setAccess('udvalg', bo.id, { role: 'secretary', closedAccess: true });
  await server.setAccess('udvalg', anne.id, { closedAccess: true });
  await server.setAccess('udvalg', dan.id, { closedAccess: true });
  return { bo, anne, carl, dan, eve };
}

const ROOM = '/api/groups/udvalg/packets/p1';
const ITEM = `${ROOM}/items/3`;

type MeGroups = { groups: Array<{ id: string; name: string; role: string; closedAccess: boolean }> };

describe('closed items', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the command line gives a membership a role and closed access, changes them again, and /api/me tells the member', async () => {
    const database = await tempDatabase();
    const on = databaseArgs(database);
    const anne = lastWord((await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', ...on])).stdout);
    const boOut = await runAdmin(['user', 'add', '--name', 'Bo Hansen', ...on]);
    const boId = /Created user (\S+)/.exec(boOut.stdout)?.[1] as string;
    const bo = lastWord(boOut.stdout);
    const added = await runAdmin(['group', 'add-member', 'udvalg', boId, '--role', 'secretary', '--closed-access', ...on]);
    expect(added.stdout).toContain(`User ${boId} is a secretary of udvalg, with access to closed items`);
    await expect(runAdmin(['group', 'add-member', 'udvalg', boId, '--role', 'chair', ...on])).rejects.toThrow(
      '--role takes member or secretary',
    );

    server = await startTestServer({ database });
    const me = (token: string) => api<MeGroups>((server as TestServer).url, token, 'GET', '/api/me');
    expect((await me(anne)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'member', closedAccess: false }]);
    expect((await me(bo)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'secretary', closedAccess: true }]);

    // Again on a member: only what is given changes.
    const revoked = await runAdmin(['group', 'add-member', 'udvalg', boId, '--no-closed-access', ...on]);
    expect(revoked.stdout).toContain('is a secretary of udvalg, without access to closed items');
    expect((await me(bo)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'secretary', closedAccess: false }]);
  });
});

describe('closing an item', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  const call = (who: Member | { token: string }, method: string, path: string, body?: unknown) =>
    api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);

  it("is a secretary's, validated and audited; the closed item's room and intents are for those with closed access who are not excluded", async () => {
    server = await startTestServer();
    const { bo, anne, carl, dan, eve } = await committee(server);

    // Not a member: the 404 of a group that does not exist. A member who is not a secretary: 403. Both before the body.
    const missing = await call(eve, 'PUT', '/api/groups/findes-ikke/packets/p1/items/3/access', { closed: true });
    expect(await call(eve, 'PUT', `${ITEM}/access`, '{ not json')).toMatchObject({ status: 404, text: missing.text });
    expect(await call(anne, 'PUT', `${ITEM}/access`, '{ not json')).toMatchObject({
      status: 403,
      body: { error: 'only a secretary of the group may close or open an agenda item' },
    });
    for (const [body, error] of [
      [{ closed: 'ja' }, 'closed must be true or false'],
      [{ closed: true, excluded: [dan.id, dan.id] }, 'excluded must name each member once'],
      [{ closed: true, excluded: ['../x'] }, 'excluded[0] must be a user id'],
      [{ closed: true, excluded: [eve.id] }, `excluded names ${eve.id}, who is not a member of the group`],
      [{ closed: false, excluded: [dan.id] }, 'excluded must be empty when the item is opened'],
      [{ closed: true, secret: 1 }, 'the request body has an unknown field "secret"'],
    ] as const) {
      expect(await call(bo, 'PUT', `${ITEM}/access`, body), JSON.stringify(body)).toMatchObject({ status: 400, body: { error } });
    }
    expect((await call(bo, 'PUT', `${ROOM}/items/03/access`, { closed: true })).status).toBe(404);
    // Nothing refused was stored.
    expect(await accessAuditOf(server.db, 'udvalg', 'p1', 3)).toEqual([]);
    expect((await call(anne, 'GET', `${ITEM}/annotations`)).status).toBe(404);

    const closed = await call(bo, 'PUT', `${ITEM}/access`, { closed: true, excluded: [dan.id] });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ itemNumber: 3, closed: true, excluded: [dan.id], moved: 0, by: bo.id, at: expect.any(String) });
    expect(await accessAuditOf(server.db, 'udvalg', 'p1', 3)).toEqual([
      { groupId: 'udvalg', packetId: 'p1', itemNumber: 3, closed: true, excluded: [dan.id], actorId: bo.id, at: closed.body.at, moved: 0 },
    ]);
    expect((await call(anne, 'GET', `${ROOM}/closed-items`)).body).toEqual({ items: [{ itemNumber: 3, mayRead: true }] });
    expect((await call(carl, 'GET', `${ROOM}/closed-items`)).body).toEqual({ items: [{ itemNumber: 3, mayRead: false }] });
    expect((await call(dan, 'GET', `${ROOM}/closed-items`)).body).toEqual({ items: [{ itemNumber: 3, mayRead: false }] });
    expect((await call(bo, 'GET', `${ROOM}/closed-items`)).body).toEqual({ items: [{ itemNumber: 3, mayRead: true, excluded: [dan.id] }] });

    // The item's room: the same intents as the group's, its own document.
    const created = await call(anne, 'POST', `${ITEM}/annotations`, commentDraft('k1', 'Personalesagen: hvem har set den?'));
    expect(created).toMatchObject({ status: 201, body: { id: 'k1', author: { id: anne.id, name: 'Anne Jensen' } } });
    expect((await call(bo, 'PATCH', `${ITEM}/annotations/k1`, { body: 'ændret' })).status).toBe(403);
    expect((await call(bo, 'PATCH', `${ITEM}/annotations/k1`, { resolved: true })).body).toMatchObject({ resolved: true });
    expect((await call(bo, 'GET', `${ITEM}/annotations`)).body).toMatchObject({ total: 1, label: 'Lukket punkt 3: udvalg' });
    expect((await call(bo, 'GET', `${ROOM}/annotations`)).body).toMatchObject({ total: 0 });
    const reader = await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', anne.token);
    clients.push(reader);
    expect(reader.doc.getMap('annotations').has('k1')).toBe(true);

    // Everyone else: the 404 and 4404 of a room that does not exist.
    const nowhere = await call(carl, 'GET', '/api/groups/udvalg/packets/p1/items/4/annotations');
    for (const who of [carl, dan, eve]) {
      expect((await call(who, 'GET', `${ITEM}/annotations`)).text).toBe(nowhere.text);
      expect(await call(who, 'POST', `${ITEM}/annotations`, commentDraft('k2', 'x'))).toMatchObject({ status: 404, text: nowhere.text });
      expect(await call(who, 'DELETE', `${ITEM}/annotations/k1`)).toMatchObject({ status: 404, text: nowhere.text });
      expect(await closeCodeOf(`${server.wsUrl}/closed/udvalg/p1/3?token=${who.token}`)).toBe(CloseCode.notFound);
    }

    // Opened again: the room is gone for everyone, and the audit has both changes.
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: false })).body).toMatchObject({ closed: false, excluded: [] });
    expect((await call(anne, 'GET', `${ITEM}/annotations`)).status).toBe(404);
    expect((await accessAuditOf(server.db, 'udvalg', 'p1', 3)).map((a) => [a.closed, a.excluded, a.actorId])).toEqual([
      [true, [dan.id], bo.id],
      [false, [], bo.id],
    ]);
  });
});
