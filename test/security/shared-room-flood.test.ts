/**
 * A member of a group against the group's shared room. The red-team pass: 951 intents of the
 * largest size took a shared room to the 256 MiB document cap in 6.8 s; after that every member's
 * create, edit and delete got 413, an unmodified y-websocket client could no longer sync the room
 * (its 100 MiB limit), and no command could remove a comment or reset the room.
 */
import { liveAnnotations, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { lastWord, runAdmin, spawnServer } from '../support/spawned-server.ts';
import { startTestServer, type TestServer, tempDbPath } from '../support/test-server.ts';
import { describeReport, startVictim } from '../support/victim.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

/** The largest comment the API takes: 10,000 characters of body and eight 10,000-character quotes. */
function largestDraft(id: string): Record<string, unknown> {
  const quote = (i: number) => ({ type: 'TextQuoteSelector', exact: `${i}`.padEnd(10_000, 'q'), prefix: '', suffix: '' });
  return commentDraft(id, 'x'.repeat(10_000), { target: { page: 1, selectors: Array.from({ length: 8 }, (_, i) => quote(i)) } });
}

describe('a member flooding a shared room', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('stops at their own quota: the others still comment and delete, and an unmodified client still syncs', async () => {
    server = await startTestServer();
    const mallory = await server.addUser('Mallory', 'udvalg');
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const vera = await server.addUser('Vera', 'andet');
    const path = '/api/groups/udvalg/packets/p1/annotations';
    let accepted = 0;
    let refused: { status: number; body: unknown } | null = null;
    const victim = await startVictim({ wsUrl: server.wsUrl, httpUrl: server.url, token: vera.token });
    for (let i = 0; i < 1_000 && !refused; i++) {
      const r = await api(server.url, mallory.token, 'POST', path, largestDraft(`flood-${i}`));
      if (r.status === 201) accepted++;
      else refused = { status: r.status, body: r.body };
    }
    // Go on after the refusals, as a flooding client would.
    for (let i = 0; i < 50; i++) await api(server.url, mallory.token, 'POST', path, largestDraft(`more-${i}`));
    const report = await victim.stop();
    console.log(describeReport("a member's flood of the largest comments", report));
    expect(report.relayP99, 'victim relay p99 (ms)').toBeLessThan(250);
    expect(report.healthP99, '/health p99 (ms)').toBeLessThan(250);
    expect(report.relayLost).toBe(0);
    // Refused by Mallory's quota, a clear answer, long before the room is full.
    expect(refused).toEqual({ status: 413, body: { error: expect.stringMatching(/characters, the most one member may write here/) } });
    expect(accepted).toBeGreaterThan(5);
    expect(accepted).toBeLessThan(20);
    const room = server.rooms.peek('shared/udvalg/p1');
    expect(room?.storedBytes).toBeLessThan(4 * 1024 * 1024);

    // Anne is not affected: she comments, edits and deletes.
    expect((await api(server.url, anne.token, 'POST', path, commentDraft('anne-1', 'Hvad koster det?'))).status).toBe(201);
    expect((await api(server.url, anne.token, 'PATCH', `${path}/anne-1`, { body: 'Hvad koster det i 2027?' })).status).toBe(200);
    expect((await api(server.url, anne.token, 'POST', path, commentDraft('anne-2', 'Og i 2028?'))).status).toBe(201);
    expect((await api(server.url, anne.token, 'DELETE', `${path}/anne-2`)).status).toBe(200);
    // An unmodified y-websocket client syncs the room.
    const reader = await connectSynced(server.wsUrl, 'shared/udvalg/p1', anne.token);
    clients.push(reader);
    expect(liveAnnotations(reader.doc).map((a) => a.id)).toContain('anne-1');
    // Mallory may always delete; what he deletes frees his quota.
    for (let i = 0; i < 3; i++) expect((await api(server.url, mallory.token, 'DELETE', `${path}/flood-${i}`)).status).toBe(200);
    expect((await api(server.url, mallory.token, 'POST', path, largestDraft('after-delete'))).status).toBe(201);
    // A deleted comment keeps nothing of its words, its quotes or its tags.
    await waitFor(() => readAnnotations(reader.doc).find((a) => a.id === 'flood-0')?.deleted, { what: 'the delete at the reader' });
    const after = readAnnotations(reader.doc).find((a) => a.id === 'flood-0');
    expect(after).toMatchObject({ deleted: true, body: '', tags: [], target: { page: 1 } });
  });

  it('caps the shared room well under what a y-websocket client takes, and lets deletes through at the cap', async () => {
    // Many members together may fill a room: 2 MiB here (16 MiB by default, a y-websocket client takes 100).
    server = await startTestServer({ limits: { maxSharedDocBytes: 2 * 1024 * 1024 } });
    const members = await Promise.all(Array.from({ length: 6 }, (_, i) => server.addUser(`Member ${i}`, 'udvalg')));
    const path = '/api/groups/udvalg/packets/p1/annotations';
    let full: { status: number; body: unknown } | null = null;
    const written: Array<[string, string]> = [];
    for (let i = 0; i < 200 && !full; i++) {
      const member = members[i % members.length] as (typeof members)[number];
      const r = await api(server.url, member.token, 'POST', path, largestDraft(`c-${i}`));
      if (r.status === 201) written.push([member.token, `c-${i}`]);
      else full = { status: r.status, body: r.body };
    }
    expect(full).toEqual({ status: 413, body: { error: 'document size cap reached: further writes are refused' } });
    // Every member may still delete at the cap; once enough is deleted, new comments fit again.
    for (const [token, id] of written.slice(0, 12)) expect((await api(server.url, token, 'DELETE', `${path}/${id}`)).status).toBe(200);
    const anne = members[0] as (typeof members)[number];
    await waitFor(
      async () => (await api(server.url, anne.token, 'POST', path, commentDraft(`fits-${Date.now()}`, 'Plads igen'))).status === 201,
      {
        timeoutMs: 10_000,
        intervalMs: 250,
        what: 'a new comment to fit once deletes are folded in',
      },
    );
  });
});

describe('an administrator', () => {
  it('removes any comment, resets a room, removes a member and disables a user, while the server runs', async () => {
    const db = tempDbPath();
    const mallory = (await runAdmin(['user', 'add', '--name', 'Mallory', '--group', 'udvalg', '--db', db])).stdout;
    const malloryToken = lastWord(mallory);
    const malloryId = /Created user (\S+)/.exec(mallory)?.[1] as string;
    const anneToken = lastWord((await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', db])).stdout);
    const server = await spawnServer(db);
    const clients: Client[] = [];
    try {
      const path = '/api/groups/udvalg/packets/p1/annotations';
      expect((await api(server.url, malloryToken, 'POST', path, commentDraft('abuse', 'Noget grimt'))).status).toBe(201);
      expect((await api(server.url, anneToken, 'POST', path, commentDraft('fine', 'Et spørgsmål'))).status).toBe(201);
      const reader = await connectSynced(server.wsUrl, 'shared/udvalg/p1', anneToken);
      clients.push(reader);

      // Removed through the running server: its readers see it go at once.
      const removed = await runAdmin(['comment', 'remove', 'udvalg', 'p1', 'abuse', '--db', db]);
      expect(removed.stdout).toMatch(/Removed comment abuse from shared\/udvalg\/p1/);
      await waitFor(() => !liveAnnotations(reader.doc).some((a) => a.id === 'abuse'), { what: 'the removal at a reader' });
      expect(liveAnnotations(reader.doc).map((a) => a.id)).toEqual(['fine']);

      // Reset: the room's readers are closed (1012) and find it empty again.
      const closed = new Promise<number>((resolve) => reader.provider.ws?.addEventListener('close', (e) => resolve(e.code)));
      expect((await runAdmin(['room', 'reset', 'shared/udvalg/p1', '--db', db])).stdout).toMatch(
        /Reset shared\/udvalg\/p1: it is empty now/,
      );
      expect(await closed).toBe(1012);
      const fresh = await connectSynced(server.wsUrl, 'shared/udvalg/p1', anneToken);
      clients.push(fresh);
      expect(liveAnnotations(fresh.doc)).toEqual([]);
      expect((await api(server.url, anneToken, 'GET', path)).body).toMatchObject({ total: 0 });

      // Removing a member and disabling a user take effect on the next request.
      await runAdmin(['group', 'remove-member', 'udvalg', malloryId, '--db', db]);
      expect((await api(server.url, malloryToken, 'POST', path, commentDraft('again', 'Igen'))).status).toBe(404);
      await runAdmin(['user', 'disable', malloryId, '--db', db]);
      expect((await api(server.url, malloryToken, 'GET', '/api/me')).status).toBe(401);
      await runAdmin(['user', 'enable', malloryId, '--db', db]);
      expect((await api(server.url, malloryToken, 'GET', '/api/me')).status).toBe(200);
    } finally {
      for (const c of clients) c.destroy();
      await server.kill('SIGTERM');
    }
  });

  it('resets a room that was compacted and unloaded, with no server running: nothing of it comes back', async () => {
    const db = tempDbPath();
    const token = lastWord((await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', db])).stdout);
    const server = await spawnServer(db);
    expect((await api(server.url, token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', 'Tekst'))).status).toBe(
      201,
    );
    // A graceful stop folds the room into a snapshot, leaving no update after it.
    await server.kill('SIGTERM');
    expect((await runAdmin(['room', 'reset', 'shared/udvalg/p1', '--db', db])).stdout).toMatch(/Reset shared\/udvalg\/p1: it is empty now/);
    const again = await spawnServer(db);
    try {
      expect((await api(again.url, token, 'GET', '/api/groups/udvalg/packets/p1/annotations')).body).toMatchObject({ total: 0 });
    } finally {
      await again.kill('SIGTERM');
    }
  });

  it('applies a removal itself when no server is running', async () => {
    const db = tempDbPath();
    const token = lastWord((await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', db])).stdout);
    const server = await spawnServer(db);
    expect((await api(server.url, token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', 'Tekst'))).status).toBe(
      201,
    );
    await server.kill('SIGTERM');
    expect((await runAdmin(['comment', 'remove', 'udvalg', 'p1', 'c1', '--db', db])).stdout).toMatch(/Removed comment c1/);
    expect((await runAdmin(['comment', 'remove', 'udvalg', 'p1', 'nope', '--db', db])).stdout).toMatch(/error: no such annotation/);
    const again = await spawnServer(db);
    try {
      expect((await api(again.url, token, 'GET', '/api/groups/udvalg/packets/p1/annotations')).body).toMatchObject({ total: 0 });
    } finally {
      await again.kill('SIGTERM');
    }
  });
});
