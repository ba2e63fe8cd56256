/**
 * Closed agenda items across server processes (docs/CLOSED-ITEMS.md): two `randnoter serve`
 * processes on one PostgreSQL and one Redis. Closing an item through one process moves its
 * comments out of the open room that a reader follows on the other, which drops its copy and
 * sends the reader to sync again; an exclusion made through one process closes the excluded
 * member's socket on the other within a second.
 */
import { randomBytes } from 'node:crypto';
import { addMembership, createUser } from '@randnoter/server/auth/accounts';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { openTestDatabase, tempDatabase, testBackend } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const redisUrl = process.env.RANDNOTER_TEST_REDIS_URL;
const ROOM = '/api/groups/udvalg/packets/p1';
const ITEM = `${ROOM}/items/3`;

describe.skipIf(testBackend !== 'postgres' || !redisUrl)('closed items on two server processes', () => {
  const processes: SpawnedServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGTERM')));
  });

  it('a closing through one process empties the open room its reader follows on the other; an exclusion there closes the socket within a second', async () => {
    const database = await tempDatabase();
    const opened = openTestDatabase(database);
    await migrateToLatest(opened.db as Kysely<unknown>);
    const now = new Date().toISOString();
    const user = async (name: string) => {
      const made = await createUser(opened.db, name, 'udvalg', now);
      return { ...made.user, token: made.token };
    };
    const [bo, anne, carl] = [await user('Bo Hansen'), await user('Anne Jensen'), await user('Carl Nielsen')];
    await addMembership(opened.db, 'udvalg', bo.id, { role: 'secretary', closedAccess: true });
    await addMembership(opened.db, 'udvalg', anne.id, { closedAccess: true });
    await opened.close();
    const options = { env: { RANDNOTER_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}:` }, args: ['--redis', redisUrl as string] };
    const [p1, p2] = await Promise.all([spawnServer(database, options), spawnServer(database, options)]);
    processes.push(p1, p2);

    const onItem = { page: 5, agendaItem: { number: 3, title: 'Personalesag' } };
    expect(
      (await api(p1.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('fortrolig-1', 'Fortroligt', { target: onItem }))).status,
    ).toBe(201);
    const reader = await connectSynced(p2.wsUrl, 'shared/udvalg/p1', carl.token);
    clients.push(reader);
    await waitFor(() => reader.doc.getMap('annotations').has('fortrolig-1'), { what: 'the comment on the other process' });
    let readerClose: number | null = null;
    reader.provider.on('connection-close', (e) => {
      readerClose ??= e?.code ?? 0;
    });

    expect((await api(p1.url, bo.token, 'PUT', `${ITEM}/access`, { closed: true })).body).toMatchObject({ moved: 1 });
    expect(await waitFor(() => readerClose, { timeoutMs: 5_000, what: "the reader's socket on p2" })).toBe(CloseCode.serviceRestart);
    const fresh = await connectSynced(p2.wsUrl, 'shared/udvalg/p1', carl.token);
    clients.push(fresh);
    expect([...fresh.doc.getMap('annotations').keys()]).toEqual([]);
    expect((await api<{ total: number }>(p2.url, anne.token, 'GET', `${ITEM}/annotations`)).body.total).toBe(1);

    const annes = await connectSynced(p2.wsUrl, 'closed/udvalg/p1/3', anne.token);
    clients.push(annes);
    annes.provider.shouldConnect = false;
    let annesClose: { code: number; at: number } | null = null;
    annes.provider.on('connection-close', (e) => {
      annesClose ??= { code: e?.code ?? 0, at: performance.now() };
    });
    expect((await api(p1.url, bo.token, 'PUT', `${ITEM}/access`, { closed: true, excluded: [anne.id] })).status).toBe(200);
    const excludedAt = performance.now();
    const closed = await waitFor(() => annesClose, { timeoutMs: 5_000, what: "Anne's socket on p2" });
    expect(closed.code).toBe(CloseCode.notFound);
    expect(closed.at - excludedAt).toBeLessThan(1_000);
  });
});
