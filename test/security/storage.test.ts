/**
 * What a user may leave on the server's disk, and who may read the files. The red-team pass: one
 * user wrote 25 MB/s into rooms of their own (a new packet id is a new room, each under the
 * per-room cap) until the disk was full, and /health still answered 200; the database and its
 * backups were created world-readable.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AckWriter, openAckWriter } from '../support/ack-writer.ts';
import { api } from '../support/api.ts';
import { runAdmin } from '../support/spawned-server.ts';
import { startTestServer, type TestServer, tempDbPath } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('storage', () => {
  let server: TestServer | null = null;
  const writers: AckWriter[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    await server?.close();
    server = null;
  });

  it("stops one user's notes at their storage quota across all their rooms, and leaves another user's alone", async () => {
    server = await startTestServer({ limits: { userMaxStoredBytes: 1024 * 1024 } });
    const mallory = await server.addUser('Mallory');
    const anne = await server.addUser('Anne Jensen');
    // Room after room, each far under its own cap: 200 KB notes into ever new packets.
    let refusal: number | null = null;
    for (let room = 0; room < 20 && refusal === null; room++) {
      const writer = await openAckWriter(server.wsUrl, `notes/filler-${room}`, mallory.token, `r${room}`);
      writers.push(writer);
      writer.write('x'.repeat(200_000));
      await waitFor(() => writer.acked === 1 || writer.closeCode !== null, { what: 'the note stored or refused' });
      refusal = writer.closeCode;
    }
    expect(refusal).toBe(4413);
    const stored = await server.docs.storedBytes(`notes/${mallory.id}/`);
    expect(stored).toBeLessThanOrEqual(1024 * 1024);
    expect(stored).toBeGreaterThan(600 * 1024);
    // Anne's notes go on.
    const annes = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'a');
    writers.push(annes);
    annes.write('x'.repeat(200_000));
    await waitFor(() => annes.acked === 1, { what: "Anne's note stored" });
  });

  it('says on /health and /metrics how much disk is left, and answers 503 when it is nearly full', async () => {
    server = await startTestServer();
    const health = await api<{ ok: boolean; diskFreeBytes: number }>(server.url, null, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.diskFreeBytes).toBeGreaterThan(0);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^randnoter_disk_free_bytes \d+$/m);
    const database = server.database;
    await server.close();
    // A threshold above what any disk here has left: the disk counts as nearly full.
    server = await startTestServer({ database, limits: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } });
    const full = await api<{ ok: boolean; error: string }>(server.url, null, 'GET', '/health');
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ ok: false, error: 'the database disk is nearly full' });
  });

  it('creates the database, its WAL and its backups readable by the server’s user alone', async () => {
    const db = tempDbPath();
    server = await startTestServer({ database: db });
    const user = await server.addUser('Anne Jensen');
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', user.token, 'n');
    writers.push(writer);
    writer.write('a note');
    await waitFor(() => writer.acked === 1, { what: 'a stored note' });
    expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`)]).toEqual(['600', '600', '600']);
    const backup = join(dirname(db), 'backups', 'copy.sqlite');
    await runAdmin(['backup', backup, '--db', db]);
    expect(mode(backup)).toBe('600');
  });
});
