/**
 * Several server processes share rooms: two real `randnoter serve` processes on one PostgreSQL
 * database, fanning out through one Redis, as they would run behind a load balancer. Users on
 * either process see each other live; two processes accepting writes for one room at once keep
 * the room's seqs gapless and apply nothing twice; when one process is SIGKILLed, nothing it
 * acknowledged is lost and its clients, sent to the other process, converge; and when Redis loses
 * messages, the database still brings every write to every process.
 */
import { randomBytes } from 'node:crypto';
import { createUser } from '@randnoter/server/auth/accounts';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import { insertAnnotation, liveAnnotations, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AckWriter, openAckWriter, pageNote } from '../support/ack-writer.ts';
import { api, commentDraft } from '../support/api.ts';
import { type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { openTestDatabase, tempDatabase, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectClient, connectSynced } from '../support/yjs-clients.ts';

const PACKET = 'pakke-1';
const SHARED_ROOM = `shared/udvalg/${PACKET}`;
const SHARED = `/api/groups/udvalg/packets/${PACKET}/annotations`;
const redisUrl = process.env.RANDNOTER_TEST_REDIS_URL;

interface Account {
  id: string;
  name: string;
  token: string;
}

interface Cluster {
  database: string;
  anne: Account;
  bo: Account;
  p1: SpawnedServer;
  p2: SpawnedServer;
}

/** A fresh database with Anne and Bo in group udvalg, served by two processes sharing one Redis. */
async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const database = await tempDatabase();
  const opened = openTestDatabase(database);
  await migrateToLatest(opened.db as Kysely<unknown>);
  const now = new Date().toISOString();
  const a = await createUser(opened.db, 'Anne Jensen', 'udvalg', now);
  const b = await createUser(opened.db, 'Bo Hansen', 'udvalg', now);
  await opened.close();
  // Test files share one Redis: a prefix of our own keeps other tests' rooms out.
  const options = {
    env: { RANDNOTER_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}:`, ...env },
    args: ['--redis', redisUrl as string],
  };
  const [p1, p2] = await Promise.all([spawnServer(database, options), spawnServer(database, options)]);
  return { database, anne: { ...a.user, token: a.token }, bo: { ...b.user, token: b.token }, p1, p2 };
}

const bodies = (client: Client) =>
  liveAnnotations(client.doc)
    .map((a) => a.body)
    .sort();
const ids = (client: { doc: Client['doc'] }) =>
  readAnnotations(client.doc)
    .map((a) => a.id)
    .sort();

async function storedSeqs(database: string, room: string): Promise<{ seqs: number[]; head: number }> {
  const opened = openTestDatabase(database);
  try {
    const rows = await opened.db.selectFrom('doc_updates').select('seq').where('room', '=', room).orderBy('seq').execute();
    const head = await opened.db.selectFrom('doc_heads').select('seq').where('room', '=', room).executeTakeFirst();
    return { seqs: rows.map((r) => Number(r.seq)), head: Number(head?.seq ?? 0) };
  } finally {
    await opened.close();
  }
}

describe.runIf(testBackend === 'postgres')('two server processes sharing rooms through PostgreSQL and Redis', () => {
  let cluster: Cluster | undefined;
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  const inProcess: TestServer[] = [];
  beforeEach((context) => {
    if (!redisUrl) context.skip('RANDNOTER_TEST_REDIS_URL is not set: npm test starts a Redis (test/run.ts)');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await Promise.all([cluster?.p1.kill('SIGKILL'), cluster?.p2.kill('SIGKILL'), ...inProcess.splice(0).map((s) => s.close())]);
    cluster = undefined;
  });

  it('shows users on either process every change live: one private-notes room, one shared room, presence', async () => {
    cluster = await startCluster();
    const { anne, bo, p1, p2 } = cluster;
    // Anne's laptop is routed to process 1, her tablet to process 2; Bo reads on process 2.
    const laptop = await connectSynced(p1.wsUrl, `notes/${PACKET}`, anne.token);
    const tablet = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    const anneShared = await connectSynced(p1.wsUrl, SHARED_ROOM, anne.token);
    const boShared = await connectSynced(p2.wsUrl, SHARED_ROOM, bo.token);
    clients.push(laptop, tablet, anneShared, boShared);

    for (let i = 0; i < 5; i++) {
      insertAnnotation(laptop.doc, pageNote(`laptop-${i}`, `fra laptop ${i}`), null, new Date().toISOString());
      insertAnnotation(tablet.doc, pageNote(`tablet-${i}`, `fra tablet ${i}`), null, new Date().toISOString());
    }
    const expectedNotes = [
      ...Array.from({ length: 5 }, (_, i) => `fra laptop ${i}`),
      ...Array.from({ length: 5 }, (_, i) => `fra tablet ${i}`),
    ].sort();
    await waitFor(() => JSON.stringify(bodies(laptop)) === JSON.stringify(expectedNotes), { what: 'tablet notes on the laptop' });
    await waitFor(() => JSON.stringify(bodies(tablet)) === JSON.stringify(expectedNotes), { what: 'laptop notes on the tablet' });

    // Intents: Anne through process 1, Bo through process 2, replies and resolving across them.
    expect((await api(p1.url, anne.token, 'POST', SHARED, commentDraft('c1', 'Hvad koster det?'))).status).toBe(201);
    await waitFor(() => bodies(boShared).includes('Hvad koster det?'), { what: "Anne's comment on process 2" });
    const reply = { ...commentDraft('r1', 'Se bilag 2'), kind: 'reply', replyTo: 'c1' };
    expect((await api(p2.url, bo.token, 'POST', SHARED, reply)).status).toBe(201);
    await waitFor(() => bodies(anneShared).includes('Se bilag 2'), { what: "Bo's reply on process 1" });
    expect((await api(p2.url, bo.token, 'PATCH', `${SHARED}/c1`, { resolved: true })).status).toBe(200);
    await waitFor(() => liveAnnotations(anneShared.doc).find((a) => a.id === 'c1')?.resolved === true, {
      what: 'the resolution on process 1',
    });
    // Only the author edits the words, whichever process the edit reaches.
    expect((await api(p2.url, bo.token, 'PATCH', `${SHARED}/c1`, { body: 'ændret af Bo' })).status).toBe(403);
    expect((await api(p1.url, anne.token, 'PATCH', `${SHARED}/c1`, { body: 'Hvad koster det i alt?' })).status).toBe(200);
    await waitFor(() => bodies(boShared).includes('Hvad koster det i alt?'), { what: "Anne's edit on process 2" });
    // HTTP reads on either process see the same room.
    const listed = await api<{ total: number }>(p2.url, anne.token, 'GET', SHARED);
    expect(listed.body.total).toBe(2);

    // Presence crosses processes too, with the authenticated name.
    anneShared.provider.awareness.setLocalState({ user: { name: 'Someone Else', color: '#ff0000' }, page: 7 });
    await waitFor(() => boShared.provider.awareness.getStates().get(anneShared.doc.clientID)?.page === 7, {
      what: "Anne's presence on process 2",
    });
    expect(boShared.provider.awareness.getStates().get(anneShared.doc.clientID)?.user).toMatchObject({ name: 'Anne Jensen' });
    // A reader who joins later on the other process is told who is there.
    const late = await connectSynced(p2.wsUrl, SHARED_ROOM, bo.token);
    clients.push(late);
    await waitFor(() => late.provider.awareness.getStates().get(anneShared.doc.clientID)?.page === 7, {
      what: 'presence for a late joiner',
    });
    // And leaving is seen on the other process.
    anneShared.provider.disconnect();
    await waitFor(() => !boShared.provider.awareness.getStates().has(anneShared.doc.clientID), { what: "Anne's presence to go" });
  });

  it('keeps a room gapless and applies nothing twice while both processes accept writes for it at once', async () => {
    // No compaction: every update stays in the log, to check the seqs.
    cluster = await startCluster({ RANDNOTER_COMPACT_AFTER_UPDATES: '1000000' });
    const { database, anne, bo, p1, p2 } = cluster;
    const room = `notes/${anne.id}/${PACKET}`;
    const laptop = await openAckWriter(p1.wsUrl, `notes/${PACKET}`, anne.token, 'laptop');
    const tablet = await openAckWriter(p2.wsUrl, `notes/${PACKET}`, anne.token, 'tablet');
    writers.push(laptop, tablet);
    const burst = Promise.all([laptop.writeUntilStopped(400), tablet.writeUntilStopped(400)]);

    // Meanwhile the same intents reach both processes at the same moment.
    const statuses: Array<[number, number]> = [];
    const winners = new Map<string, string>();
    for (let i = 0; i < 15; i++) {
      // A retry that a load balancer sent to the other process: created once, answered twice.
      const same = commentDraft(`same-${i}`, `samme ${i}`);
      const retried = await Promise.all([api(p1.url, anne.token, 'POST', SHARED, same), api(p2.url, anne.token, 'POST', SHARED, same)]);
      statuses.push([retried[0].status, retried[1].status]);
      // Two authors racing for one id: one wins, the other is told it clashes.
      const clash = await Promise.all([
        api(p1.url, anne.token, 'POST', SHARED, commentDraft(`clash-${i}`, `Anne ${i}`)),
        api(p2.url, bo.token, 'POST', SHARED, commentDraft(`clash-${i}`, `Bo ${i}`)),
      ]);
      expect(clash.map((a) => a.status).sort(), `clash-${i}`).toEqual([201, 409]);
      winners.set(`clash-${i}`, clash[0].status === 201 ? anne.id : bo.id);
      // Different comments at once on both processes.
      const both = await Promise.all([
        api(p1.url, anne.token, 'POST', SHARED, commentDraft(`anne-${i}`, `fra Anne ${i}`)),
        api(p2.url, bo.token, 'POST', SHARED, commentDraft(`bo-${i}`, `fra Bo ${i}`)),
      ]);
      expect(both.map((a) => a.status)).toEqual([201, 201]);
    }
    for (const pair of statuses) expect([...pair].sort()).toEqual([200, 201]);
    await burst;
    await waitFor(() => laptop.acked === laptop.sent.length && tablet.acked === tablet.sent.length, { what: 'every note acknowledged' });

    // The log: one row per seq, 1..n without a hole, and the head at n.
    const { seqs, head } = await storedSeqs(database, room);
    expect(seqs.length).toBeGreaterThanOrEqual(800);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(head).toBe(seqs.length);
    const shared = await storedSeqs(database, SHARED_ROOM);
    expect(shared.seqs).toEqual(Array.from({ length: shared.seqs.length }, (_, i) => i + 1));

    // Both processes hold the same room, and it is what was written: every note once.
    const onP1 = await connectSynced(p1.wsUrl, `notes/${PACKET}`, anne.token);
    const onP2 = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    clients.push(onP1, onP2);
    const written = [...laptop.sent, ...tablet.sent].sort();
    expect(ids(onP1)).toEqual(written);
    expect(ids(onP2)).toEqual(written);
    const sharedOnP1 = await connectSynced(p1.wsUrl, SHARED_ROOM, anne.token);
    const sharedOnP2 = await connectSynced(p2.wsUrl, SHARED_ROOM, bo.token);
    clients.push(sharedOnP1, sharedOnP2);
    expect(ids(sharedOnP1)).toEqual(ids(sharedOnP2));
    expect(ids(sharedOnP1)).toHaveLength(15 * 4);
    // A clash is won by whoever got the 201: their comment, their name on it.
    for (const [id, author] of winners) expect(readAnnotations(sharedOnP2.doc).find((a) => a.id === id)?.author?.id).toBe(author);
  });

  it('loses nothing acknowledged when one process is SIGKILLed; its clients reconnect to the other and converge', async () => {
    cluster = await startCluster();
    const { database, anne, bo, p1, p2 } = cluster;
    const laptop = await openAckWriter(p1.wsUrl, `notes/${PACKET}`, anne.token, 'laptop');
    writers.push(laptop);
    const tablet = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    const boOnP1 = await connectSynced(p1.wsUrl, SHARED_ROOM, bo.token);
    const anneOnP2 = await connectSynced(p2.wsUrl, SHARED_ROOM, anne.token);
    clients.push(tablet, boOnP1, anneOnP2);

    const writing = laptop.writeUntilStopped(5_000);
    const answered: string[] = [];
    let stopped = false;
    const commenting = (async () => {
      for (let i = 0; !stopped && i < 2_000; i++) {
        try {
          const answer = await api(p1.url, bo.token, 'POST', SHARED, commentDraft(`c${i}`, `kommentar ${i}`));
          if (answer.status === 201) answered.push(`c${i}`);
        } catch {
          return; // the process is gone
        }
      }
    })();
    await waitFor(() => laptop.acked >= 300 && answered.length >= 20, { timeoutMs: 30_000, what: 'writes under way on process 1' });
    const exit = await p1.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    stopped = true;
    laptop.stop();
    await Promise.all([writing, commenting]);
    await waitFor(() => laptop.closeCode !== null, { what: 'the laptop socket to close' });
    const acked = laptop.ackedIds();
    const inFlight = laptop.sent.length - acked.length;

    // Process 2 has everything process 1 acknowledged, even with nobody writing there any more.
    await waitFor(
      () => {
        const held = new Set(ids(tablet));
        return acked.every((id) => held.has(id));
      },
      { timeoutMs: 30_000, what: 'every acknowledged note on process 2' },
    );
    await waitFor(
      () => {
        const held = new Set(ids(anneOnP2));
        return answered.every((id) => held.has(id));
      },
      { timeoutMs: 30_000, what: 'every answered comment on process 2' },
    );

    // Generous timeouts: on a loaded 2-core CI machine a reconnect and a sync of ~1,500 notes take a while.
    // The load balancer sends process 1's clients to process 2: the laptop's own document (it
    // holds the unacknowledged notes too), and Bo's reader, which retries on its own.
    const laptopAgain = connectClient(p2.wsUrl, `notes/${PACKET}`, anne.token, {}, laptop.doc);
    clients.push(laptopAgain);
    boOnP1.provider.serverUrl = p2.wsUrl;
    const written = [...laptop.sent].sort();
    await waitFor(() => laptopAgain.provider.synced, { timeoutMs: 30_000, what: 'the laptop to sync with process 2' });
    await waitFor(() => JSON.stringify(ids(tablet).filter((id) => id.startsWith('laptop'))) === JSON.stringify(written), {
      timeoutMs: 30_000,
      what: 'every note the laptop wrote, acknowledged or not, on the tablet',
    });
    await waitFor(() => boOnP1.provider.synced && JSON.stringify(ids(boOnP1)) === JSON.stringify(ids(anneOnP2)), {
      timeoutMs: 30_000,
      what: "Bo's reader to converge on process 2",
    });
    const fresh = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    clients.push(fresh);
    expect(ids(fresh)).toEqual(ids(tablet));
    expect(ids(laptopAgain)).toEqual(ids(tablet));
    // And it is all in the database, for whichever process loads the room next.
    expect(ids({ doc: await readStoredDoc(database, `notes/${anne.id}/${PACKET}`) })).toEqual(written);
    console.log(`two processes: SIGKILL with ${acked.length} notes acked and ${inFlight} in flight; ${answered.length} comments answered`);
  });

  it('still delivers what another process committed when the fan-out loses every message', async () => {
    // Two servers on one database whose Redis channels never meet: only the database connects them.
    const p1 = await startTestServer({ redisUrl, redisPrefix: `lost-${randomBytes(4).toString('hex')}-a:` });
    inProcess.push(p1);
    const p2 = await startTestServer({ redisUrl, redisPrefix: `lost-${randomBytes(4).toString('hex')}-b:`, database: p1.database });
    inProcess.push(p2);
    const anne = await p1.addUser('Anne Jensen', 'udvalg');
    const onP1 = await connectSynced(p1.wsUrl, `notes/${PACKET}`, anne.token);
    const onP2 = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    const readerOnP2 = await connectSynced(p2.wsUrl, SHARED_ROOM, anne.token);
    clients.push(onP1, onP2, readerOnP2);
    insertAnnotation(onP1.doc, pageNote('n1', 'skrevet på 1'), null, new Date().toISOString());
    expect((await api(p1.url, anne.token, 'POST', SHARED, commentDraft('c1', 'kommenteret på 1'))).status).toBe(201);
    // Each loaded room compares its seq with the database's head every 2 s and reads what it lacks.
    await waitFor(() => bodies(onP2).includes('skrevet på 1'), { what: 'the note on process 2' });
    await waitFor(() => bodies(readerOnP2).includes('kommenteret på 1'), { what: 'the comment on process 2' });
    // And an intent on process 2 sees process 1's comment without having heard of it.
    expect((await api(p2.url, anne.token, 'POST', SHARED, commentDraft('c1', 'kommenteret på 1'))).status).toBe(200);
  });
});
