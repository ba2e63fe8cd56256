/**
 * Nothing acknowledged is lost. The real `randnoter serve` process is SIGKILLed in the middle of a
 * burst of writes from several clients (private-room updates with ?ack=1 acks, shared-room
 * intents over HTTP, and live readers receiving relayed updates), restarted on the same database,
 * and must still hold everything that had been acknowledged: answered 2xx, acked, or relayed to
 * another client. Repeated at many seeded kill points, bounded in count and time.
 */

import { createUser } from '@randnoter/server/auth/accounts';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type AckWriter, openAckWriter } from '../support/ack-writer.ts';
import { api, commentDraft } from '../support/api.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { openTestDatabase, tempDatabase, testBackend } from '../support/test-database.ts';
import { startTestServer, tempDbPath } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const PACKET = 'pakke-1';
const SHARED = `/api/groups/udvalg/packets/${PACKET}/annotations`;
const MAX_ROUNDS = 14;
const MAX_MS = 50_000;
/** Small and without waiting for a quiet room, so kills also land in the middle of compactions. */
const ENV = { RANDNOTER_COMPACT_AFTER_UPDATES: '40', RANDNOTER_COMPACT_QUIET_MS: '0' };
const ARGS = ['--log-level', 'info'];

interface Account {
  id: string;
  name: string;
  token: string;
}

async function prepareDatabase(): Promise<{ location: string; anne: Account; bo: Account }> {
  const location = await tempDatabase();
  const database = openTestDatabase(location);
  await migrateToLatest(database.db as Kysely<unknown>);
  const now = new Date().toISOString();
  const a = await createUser(database.db, 'Anne Jensen', 'udvalg', now);
  const b = await createUser(database.db, 'Bo Hansen', 'udvalg', now);
  await database.close();
  return { location, anne: { ...a.user, token: a.token }, bo: { ...b.user, token: b.token } };
}

const ids = (collection: { first: { items: Array<{ id: string }> } }) =>
  new Set(collection.first.items.map((a) => a.id.replace('urn:randnoter:annotation:', '')));

/** What the restarted server must hold. */
class Expectations {
  readonly notes = new Map<string, Set<string>>();
  readonly comments = new Set<string>();
  readonly resolved = new Set<string>();

  addNotes(userId: string, noteIds: Iterable<string>): void {
    const set = this.notes.get(userId) ?? new Set<string>();
    for (const id of noteIds) set.add(id);
    this.notes.set(userId, set);
  }

  async verify(server: SpawnedServer, accounts: readonly Account[], round: number): Promise<number> {
    let checked = 0;
    for (const account of accounts) {
      const answer = await api<{ first: { items: Array<{ id: string }> } }>(
        server.url,
        account.token,
        'GET',
        `/api/notes/${PACKET}/annotations`,
      );
      const present = ids(answer.body);
      const missing = [...(this.notes.get(account.id) ?? [])].filter((id) => !present.has(id));
      expect(missing, `notes of ${account.name} lost before round ${round}`).toEqual([]);
      checked += this.notes.get(account.id)?.size ?? 0;
    }
    const shared = await api<{ first: { items: Array<{ id: string; 'randnoter:resolved'?: boolean }> } }>(
      server.url,
      accounts[0]?.token as string,
      'GET',
      SHARED,
    );
    const present = ids(shared.body);
    expect(
      [...this.comments].filter((id) => !present.has(id)),
      `comments lost before round ${round}`,
    ).toEqual([]);
    const resolvedNow = new Set(
      shared.body.first.items.filter((a) => a['randnoter:resolved']).map((a) => a.id.replace('urn:randnoter:annotation:', '')),
    );
    expect(
      [...this.resolved].filter((id) => !resolvedNow.has(id)),
      `resolutions lost before round ${round}`,
    ).toEqual([]);
    return checked + this.comments.size + this.resolved.size;
  }
}

/** Posts comments (and resolves every third) until stopped; records what was answered 2xx. */
async function intentLoop(
  server: SpawnedServer,
  account: Account,
  round: number,
  expect: Expectations,
  stop: () => boolean,
): Promise<number> {
  let answered = 0;
  for (let i = 0; !stop() && i < 500; i++) {
    const id = `r${round}-${account.name.split(' ')[0]}-${i}`;
    try {
      const created = await api(server.url, account.token, 'POST', SHARED, commentDraft(id, `kommentar ${id}`));
      if (created.status === 201) {
        expect.comments.add(id);
        answered++;
      }
      if (i % 3 === 2) {
        const resolved = await api(server.url, account.token, 'PATCH', `${SHARED}/${id}`, { resolved: true });
        if (resolved.status === 200) {
          expect.resolved.add(id);
          answered++;
        }
      }
    } catch {
      return answered; // the server is gone: this request was never answered
    }
  }
  return answered;
}

describe('crash durability', () => {
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  let server: SpawnedServer | undefined;
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await server?.kill('SIGKILL');
  });

  it('keeps every acknowledged update across SIGKILLs at many points in a burst of writes', async () => {
    const { location, anne, bo } = await prepareDatabase();
    const accounts = [anne, bo];
    const expectations = new Expectations();
    const rand = seededRandom(20260101); // a failing kill point can be replayed
    const started = Date.now();
    const rounds: Array<{ killAfter: number; acked: number; inFlight: number; relayed: number }> = [];
    const logs: string[] = [];

    for (let round = 0; round < MAX_ROUNDS && Date.now() - started < MAX_MS; round++) {
      const running = await spawnServer(location, { env: ENV, args: ARGS });
      server = running;
      await expectations.verify(running, accounts, round);

      // Readers first: whatever reaches them has been relayed, so it must survive too.
      const readers = await Promise.all([
        ...accounts.map((a) => connectSynced(running.wsUrl, `notes/${PACKET}`, a.token)),
        connectSynced(server.wsUrl, `shared/udvalg/${PACKET}`, bo.token),
      ]);
      clients.push(...readers);
      const owners = accounts.flatMap((a) => [a, a]);
      const roundWriters = await Promise.all(
        owners.map((a, w) => openAckWriter(running.wsUrl, `notes/${PACKET}`, a.token, `r${round}-w${w}`)),
      );
      writers.push(...roundWriters);

      let stopped = false;
      const writing = roundWriters.map((w) => w.writeUntilStopped(5_000));
      const intents = accounts.map((a) => intentLoop(running, a, round, expectations, () => stopped));
      const ackedSoFar = () => roundWriters.reduce((n, w) => n + w.acked, 0) + expectations.comments.size;
      const killAfter = 30 + Math.floor(rand() * 600);
      const target = ackedSoFar() + killAfter;
      const unacked = () => roundWriters.reduce((n, w) => n + (w.sent.length - w.acked), 0);
      // The kill lands in the middle of the burst: past the target, with updates still in flight
      // (at a given instant every writer may happen to be acknowledged; the next moment it is not).
      await waitFor(() => ackedSoFar() >= target && unacked() > 0, {
        intervalMs: 1,
        timeoutMs: 30_000,
        what: `${killAfter} acknowledgements, with updates in flight`,
      });
      const inFlight = unacked();
      const exit = await server.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      stopped = true;
      for (const w of roundWriters) w.stop();
      await Promise.all([...writing, ...intents]);
      // Let the sockets report their close, so every ack the server managed to send is counted.
      await waitFor(() => roundWriters.every((w) => w.closeCode !== null), { what: 'writer sockets to close' });

      let acked = 0;
      for (const [i, w] of roundWriters.entries()) {
        expectations.addNotes((owners[i] as Account).id, w.ackedIds());
        acked += w.acked;
      }
      let relayed = 0;
      for (const [i, account] of accounts.entries()) {
        const seen = readAnnotations((readers[i] as Client).doc).map((a) => a.id);
        expectations.addNotes(account.id, seen);
        relayed += seen.length;
      }
      for (const a of readAnnotations((readers[2] as Client).doc)) expectations.comments.add(a.id);
      for (const c of clients.splice(0)) c.destroy();
      for (const w of writers.splice(0)) w.close();
      logs.push(...server.logLines);
      rounds.push({ killAfter, acked, inFlight, relayed });
    }

    server = await spawnServer(location, { env: ENV, args: ARGS });
    const verified = await expectations.verify(server, accounts, rounds.length);
    const exit = await server.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    logs.push(...server.logLines);

    console.log(
      `crash durability: ${rounds.length} SIGKILLs, ${verified} acknowledged notes/comments/resolutions verified, ` +
        `${rounds.reduce((n, r) => n + r.inFlight, 0)} updates were in flight at the kills`,
    );
    expect(rounds.length).toBeGreaterThanOrEqual(6);
    // And the logs of all those runs are JSON, with no token in them.
    for (const line of logs.filter((l) => l.trim())) expect(() => JSON.parse(line)).not.toThrow();
    for (const account of accounts) expect(logs.join('\n').includes(account.token)).toBe(false);
  });

  it('flushes everything on SIGTERM and exits with code 0', async () => {
    const { location, anne } = await prepareDatabase();
    server = await spawnServer(location, { args: ARGS });
    const w = await openAckWriter(server.wsUrl, `notes/${PACKET}`, anne.token, 'term');
    writers.push(w);
    for (let i = 0; i < 500; i++) w.write();
    await waitFor(() => w.acked >= 100, { what: 'some acks' });
    const exit = await server.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logLines.some((l) => l.includes('"stopped"'))).toBe(true);
    await waitFor(() => w.closeCode !== null);
    expect(w.closeCode).toBe(1001);
    const stored = new Set(readAnnotations(await readStoredDoc(location, `notes/${anne.id}/${PACKET}`)).map((a) => a.id));
    expect(w.ackedIds().filter((id) => !stored.has(id))).toEqual([]);
    // Flushed means more than acked: what the server had received when told to stop was committed too.
    expect(stored.size).toBeGreaterThanOrEqual(w.acked);
  });

  it.skipIf(testBackend !== 'sqlite')('runs SQLite with synchronous=FULL under --durability full', async () => {
    const normal = await startTestServer();
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(normal.db)).rows[0]?.synchronous).toBe(1);
    await normal.close();
    const full = await startTestServer({ durability: 'full' });
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(full.db)).rows[0]?.synchronous).toBe(2);
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(full.db)).rows[0]?.journal_mode).toBe('wal');
    await full.close();
    // The flag reaches the server from the command line.
    server = await spawnServer(tempDbPath(), { args: ['--durability', 'full'] });
    const listening = JSON.parse(server.logLines.find((l) => l.includes('"listening"')) as string) as { durability: string };
    expect(listening.durability).toBe('full');
  });
});
