/**
 * Closed agenda items (docs/CLOSED-ITEMS.md): roles and closed access on memberships, a
 * secretary's marking (audited), a room per closed item with its own intents, comments moved
 * between rooms when an item is marked or unmarked, and the export. What others must not learn
 * is in test/security/closed-items.test.ts.
 */
import { accessAuditOf } from '@randnoter/server/storage/closed-items';
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { lastWord, runAdmin } from '../support/spawned-server.ts';
import { storedRoomBytes } from '../support/stored-doc.ts';
import { databaseArgs, tempDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { closeCodeOf } from '../support/ws-socket.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

type Member = { id: string; name: string; token: string };

/** The annotation ids of a W3C collection (each IRI ends in the id). */
const idsOf = (collection: Record<string, unknown>): string[] =>
  ((collection.first as { items: Array<{ id: string }> }).items ?? []).map((a) => a.id.split(/[/:]/).at(-1) as string);

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
    // The administrator's view of the audit.
    const log = (await runAdmin(['item-access', 'log', 'udvalg', 'p1', ...databaseArgs(server.database)])).stdout.trim().split('\n');
    expect(log).toEqual([
      `${closed.body.at} ${bo.id} closed item 3, excluding ${dan.id}; 0 moved`,
      expect.stringMatching(new RegExp(`^\\S+ ${bo.id} opened item 3; 1 moved$`)),
    ]);
  });
});

describe("a group's members", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('are listed for a secretary by name, and are whom an item can exclude', async () => {
    server = await startTestServer();
    const { bo, anne, carl, dan } = await committee(server);
    const call = (who: Member, method: string, path: string, body?: unknown) =>
      api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);
    const listed = await call(bo, 'GET', '/api/groups/udvalg/members');
    expect(listed.status).toBe(200);
    const members = (listed.body as { members: Array<{ id: string; name: string }> }).members;
    expect(members.map((m) => m.name)).toEqual(['Anne Jensen', 'Bo Hansen', 'Carl Nielsen', 'Dan Olsen']);
    expect(members.map((m) => m.id)).toEqual([anne.id, bo.id, carl.id, dan.id]);
    const excluded = members.filter((m) => m.name !== 'Bo Hansen').map((m) => m.id);
    expect(await call(bo, 'PUT', `${ITEM}/access`, { closed: true, excluded })).toMatchObject({ status: 200, body: { excluded } });
  });
});

describe('a comment on a closed item', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const call = (who: { token: string }, method: string, path: string, body?: unknown) =>
    api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);

  it('sent to the open room is refused with 409 saying where it belongs; by the item its target names, else by the agenda the server knows', async () => {
    server = await startTestServer();
    const { bo, anne } = await committee(server);
    const registered = await call(anne, 'POST', '/api/packets', { fingerprint: 'ab'.repeat(16), title: 'Udvalg', pageCount: 20 });
    const packetId = registered.body.packetId as string;
    const ROOM = `/api/groups/udvalg/packets/${packetId}`;
    const ITEM = `${ROOM}/items/3`;
    const onItem = (n: number, page = 5) => ({ page, agendaItem: { number: n, title: `Sag ${n}` } });
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true })).status).toBe(200);

    const refused = await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c1', 'Fortroligt', { target: onItem(3) }));
    expect(refused).toMatchObject({
      status: 409,
      body: { error: `the comment is on agenda item 3, which is closed: send it to ${ITEM}/annotations` },
    });
    expect((await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c2', 'Åbent', { target: onItem(4) }))).status).toBe(201);
    // A page alone, and no agenda known: on no item, so the open room takes it.
    expect((await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c3', 'Side 6', { target: { page: 6 } }))).status).toBe(201);
    // Once the group shares its agenda, page 6 is on item 3.
    const agenda = {
      items: [
        { number: 1, label: 'Punkt 1', title: 'Åbning', firstPage: 2, attachments: [] },
        { number: 3, label: 'Punkt 3', title: 'Personalesag', firstPage: 5, attachments: [] },
        { number: 4, label: 'Punkt 4', title: 'Budget', firstPage: 9, attachments: [] },
      ],
    };
    expect((await call(anne, 'PUT', `${ROOM}/agenda`, agenda)).status).toBe(200);
    expect((await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c4', 'Side 6', { target: { page: 6 } }))).status).toBe(409);
    expect((await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c5', 'Side 10', { target: { page: 10 } }))).status).toBe(201);
    // What the target names comes first: the extension places by the agenda it shows.
    expect((await call(anne, 'POST', `${ROOM}/annotations`, commentDraft('c6', 'x', { target: onItem(4, 6) }))).status).toBe(201);
    // A reply goes where its comment is.
    const reply = { id: 'r1', kind: 'reply', replyTo: 'c2', body: 'Svar', target: onItem(3) };
    expect((await call(anne, 'POST', `${ROOM}/annotations`, reply)).status).toBe(201);

    // The item's own room takes comments on it, and refuses those that name another item.
    expect((await call(anne, 'POST', `${ITEM}/annotations`, commentDraft('k1', 'Fortroligt', { target: onItem(3) }))).status).toBe(201);
    expect((await call(anne, 'POST', `${ITEM}/annotations`, commentDraft('k2', 'Side 6', { target: { page: 6 } }))).status).toBe(201);
    expect(await call(anne, 'POST', `${ITEM}/annotations`, commentDraft('k3', 'Budget', { target: onItem(4) }))).toMatchObject({
      status: 409,
      body: { error: `target.agendaItem is item 4, not the closed item 3: send it to ${ROOM}/annotations` },
    });
    const open = await call(anne, 'GET', `${ROOM}/annotations`);
    expect(idsOf(open.body).sort()).toEqual(['c2', 'c3', 'c5', 'c6', 'r1']);
  });
});

describe('closing an item with comments on it', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  const call = (who: { token: string }, method: string, path: string, body?: unknown) =>
    api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);

  it("moves them with their replies into the item's room and leaves no trace in the open room's storage; opening moves them back", async () => {
    server = await startTestServer();
    const { bo, anne, carl } = await committee(server);
    const registered = await call(anne, 'POST', '/api/packets', { fingerprint: 'cd'.repeat(16), title: 'Udvalg', pageCount: 20 });
    const packetId = registered.body.packetId as string;
    const ROOM = `/api/groups/udvalg/packets/${packetId}`;
    const ITEM = `${ROOM}/items/3`;
    const agenda = {
      items: [
        { number: 3, label: 'Punkt 3', title: 'Personalesag', firstPage: 5, attachments: [] },
        { number: 4, label: 'Punkt 4', title: 'Budget', firstPage: 9, attachments: [] },
      ],
    };
    expect((await call(anne, 'PUT', `${ROOM}/agenda`, agenda)).status).toBe(200);
    const onItem = (n: number, page = 5) => ({ page, agendaItem: { number: n, title: `Sag ${n}` } });
    const post = (id: string, body: string, extra: Record<string, unknown>) =>
      call(anne, 'POST', `${ROOM}/annotations`, commentDraft(id, body, extra));
    expect((await post('personale-1', 'Fortroligt: lønforhold for medarbejder', { target: onItem(3) })).status).toBe(201);
    const reply = { id: 'personale-svar', kind: 'reply', replyTo: 'personale-1', body: 'Fortroligt svar', target: onItem(3) };
    expect((await call(carl, 'POST', `${ROOM}/annotations`, reply)).status).toBe(201);
    expect((await post('personale-side', 'Fortroligt på side 6', { target: { page: 6 } })).status).toBe(201);
    expect((await post('personale-slettet', 'Fortroligt og slettet', { target: onItem(3) })).status).toBe(201);
    expect((await call(anne, 'DELETE', `${ROOM}/annotations/personale-slettet`)).status).toBe(200);
    expect((await post('budget-1', 'Åbent om budgettet', { target: onItem(4, 10) })).status).toBe(201);
    expect((await call(anne, 'PATCH', `${ROOM}/annotations/personale-1`, { resolved: true })).status).toBe(200);
    const before = ((await call(anne, 'GET', `${ROOM}/annotations`)).body.first as { items: unknown[] }).items;

    const reader = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, carl.token);
    clients.push(reader);
    const readerClosed = new Promise<number>((resolve) => reader.provider.on('connection-close', (e) => resolve(e?.code ?? 0)));

    const closed = await call(bo, 'PUT', `${ITEM}/access`, { closed: true });
    expect(closed.body).toMatchObject({ closed: true, moved: 4 });
    // Readers of the open room are sent away to reload it.
    expect(await readerClosed).toBe(CloseCode.serviceRestart);

    expect(idsOf((await call(carl, 'GET', `${ROOM}/annotations`)).body)).toEqual(['budget-1']);
    const inItem = await call(anne, 'GET', `${ITEM}/annotations`);
    expect(idsOf(inItem.body).sort()).toEqual(['personale-1', 'personale-side', 'personale-svar']);
    // Moved as they were: authors, times, resolved.
    const moved = (inItem.body.first as { items: unknown[] }).items;
    for (const annotation of moved) expect(before).toContainEqual({ ...(annotation as object), id: expect.any(String) });
    const openStored = await storedRoomBytes(server.database, `shared/udvalg/${packetId}`);
    for (const trace of ['Fortroligt', 'personale']) expect(openStored.includes(trace), trace).toBe(false);
    expect(openStored.includes('budget-1')).toBe(true);
    // The group's agenda stays in the open room.
    expect((await call(carl, 'GET', `${ROOM}/agenda`)).body.correction).toMatchObject({ items: agenda.items });

    // A client that syncs the open room afresh gets none of them; the item's room has them.
    const fresh = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, carl.token);
    clients.push(fresh);
    expect([...fresh.doc.getMap('annotations').keys()]).toEqual(['budget-1']);
    const closedReader = await connectSynced(server.wsUrl, `closed/udvalg/${packetId}/3`, anne.token);
    clients.push(closedReader);
    expect([...closedReader.doc.getMap('annotations').keys()].sort()).toEqual([
      'personale-1',
      'personale-side',
      'personale-slettet',
      'personale-svar',
    ]);

    // Opened again: back in the open room, and the item's room keeps nothing.
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: false })).body).toMatchObject({ closed: false, moved: 4 });
    expect(idsOf((await call(carl, 'GET', `${ROOM}/annotations`)).body).sort()).toEqual([
      'budget-1',
      'personale-1',
      'personale-side',
      'personale-svar',
    ]);
    const itemStored = await storedRoomBytes(server.database, `closed/udvalg/${packetId}/3`);
    expect(itemStored.includes('Fortroligt')).toBe(false);
  });
});

describe('a comment on a closed item that reached the open room anyway', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is moved when the secretary closes the item again (another server process wrote it past the 409)', async () => {
    server = await startTestServer();
    const { bo, anne } = await committee(server);
    const call = (who: { token: string }, method: string, path: string, body?: unknown) =>
      api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true })).body).toMatchObject({ moved: 0 });
    // As a process that placed it a moment before the closing would have written it.
    const stray: AnnotationDraft = {
      id: 'forbi-409',
      kind: 'comment',
      body: 'Fortroligt alligevel',
      replyTo: null,
      color: null,
      tags: [],
      target: { page: 5, agendaItem: { number: 3, title: 'Sag 3' } },
    };
    await server.rooms.use('shared/udvalg/p1', (room) =>
      room.change((doc) => insertAnnotation(doc, stray, anne, new Date().toISOString())),
    );
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true })).body).toMatchObject({ moved: 1 });
    expect(idsOf((await call(bo, 'GET', `${ROOM}/annotations`)).body)).toEqual([]);
    expect(idsOf((await call(anne, 'GET', `${ITEM}/annotations`)).body)).toEqual(['forbi-409']);
    expect((await storedRoomBytes(server.database, 'shared/udvalg/p1')).includes('Fortroligt')).toBe(false);
    // Nothing stray: a change of exclusions moves nothing.
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true, excluded: [anne.id] })).body).toMatchObject({ moved: 0 });
    // An administrator removes it from the item's room.
    const removed = await runAdmin(['comment', 'remove', 'udvalg', 'p1', 'forbi-409', '--item', '3', ...databaseArgs(server.database)]);
    expect(removed.stdout).toContain('Removed comment forbi-409 from closed/udvalg/p1/3');
    expect((await call(bo, 'GET', `${ITEM}/annotations`)).body).toMatchObject({ total: 0 });
  });
});

describe('taking access away', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  /** The code the server closes the client's socket with and when; `closed()` waits for it (a few seconds at most). */
  const closing = (client: Client) => {
    let seen: { code: number; at: number } | null = null;
    client.provider.on('connection-close', (e) => {
      seen ??= { code: e?.code ?? 0, at: performance.now() };
    });
    return () => waitFor(() => seen, { timeoutMs: 5_000, what: 'the socket to be closed' });
  };

  // The requirement is a latency bound: within a second of the change, measured from when it is stored.
  it('closes the sockets of a member just excluded, and of one whose closed access the command line revoked, within a second', async () => {
    server = await startTestServer({ limits: { reauthIntervalMs: 600_000 } });
    const { bo, anne, dan } = await committee(server);
    const call = (who: { token: string }, method: string, path: string, body?: unknown) =>
      api<Record<string, unknown>>((server as TestServer).url, who.token, method, path, body);
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true })).status).toBe(200);
    const annes = await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', anne.token);
    const dans = await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', dan.token);
    const bos = await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', bo.token);
    clients.push(annes, dans, bos);
    for (const c of clients) c.provider.shouldConnect = false; // no reconnect: the first close is the answer

    // Excluded by the secretary.
    const dansClose = closing(dans);
    expect((await call(bo, 'PUT', `${ITEM}/access`, { closed: true, excluded: [dan.id] })).status).toBe(200);
    const excludedAt = performance.now();
    const dansClosed = await dansClose();
    expect(dansClosed.code).toBe(CloseCode.notFound);
    expect(dansClosed.at - excludedAt).toBeLessThan(1_000);

    // Closed access revoked on the command line, another process: the periodic re-check finds it.
    const annesClose = closing(annes);
    await runAdmin(['group', 'add-member', 'udvalg', anne.id, '--no-closed-access', ...databaseArgs(server.database)]);
    const revokedAt = performance.now();
    const annesClosed = await annesClose();
    expect(annesClosed.code).toBe(CloseCode.notFound);
    expect(annesClosed.at - revokedAt).toBeLessThan(1_000);

    // Bo keeps reading.
    expect(bos.provider.wsconnected).toBe(true);
    expect(await closeCodeOf(`${server.wsUrl}/closed/udvalg/p1/3?token=${anne.token}`)).toBe(CloseCode.notFound);
  });
});
