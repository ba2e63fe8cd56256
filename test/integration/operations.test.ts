/**
 * Running the server: health and Prometheus metrics, the opt-in ack message, an online backup
 * taken while clients write, which restores and serves, and the code a server loads.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type AckWriter, openAckWriter } from '../support/ack-writer.ts';
import { api, commentDraft } from '../support/api.ts';
import { buildServer } from '../support/built-server.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { runAdmin, SOURCES_MAIN, type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { databaseArgs, tempDatabase, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';
import { decodeServerMessage, lastAck, syncStep1, syncStep2, syncUpdate } from '../support/yjs-frames.ts';

describe('operations', () => {
  let server: TestServer | undefined;
  let spawned: SpawnedServer | undefined;
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await server?.close();
    await spawned?.kill('SIGKILL');
    server = undefined;
    spawned = undefined;
  });

  it('answers /health and /metrics (connections, rooms loaded, updates, commit latency) without a token', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    // The free disk space is the SQLite file's; PostgreSQL's disk is the database server's to watch.
    const disk = testBackend === 'sqlite' ? { diskFreeBytes: expect.any(Number) } : {};
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true, roomsLoaded: 0, ...disk });
    const a = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    const b = await connectSynced(server.wsUrl, 'notes/p2', anne.token);
    clients.push(a, b);
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    writers.push(writer);
    for (let i = 0; i < 25; i++) writer.write();
    await waitFor(() => writer.acked === 25);

    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    const value = (name: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${name} `))
          ?.split(' ')[1],
      );
    expect(value('randnoter_connections')).toBe(3);
    expect(value('randnoter_rooms_loaded')).toBe(2);
    // Each provider also answered the server's sync step 1 with a (here empty) sync step 2.
    expect(value('randnoter_updates_received_total')).toBe(27);
    expect(value('randnoter_updates_committed_total')).toBe(25);
    expect(value('randnoter_updates_per_second')).toBeGreaterThan(0);
    expect(value('randnoter_commit_seconds_count')).toBeGreaterThan(0);
    expect(value('randnoter_commit_seconds_bucket{le="+Inf"}')).toBe(value('randnoter_commit_seconds_count'));
    // Every sample line belongs to a declared metric family.
    const families = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2]),
    );
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const name = (line.split(/[ {]/)[0] as string).replace(/_(bucket|sum|count)$/, '');
      expect(families.has(name) || families.has(line.split(/[ {]/)[0]), line).toBe(true);
    }
  });

  it('acks with ?ack=1: "the first n updates you sent are stored", counting sync step 2 and updates in order', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const socket = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}&ack=1`);
    const doc = new Y.Doc();
    socket.sendBinary(syncStep1(doc));
    const map = doc.getMap('annotations');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) map.set(`k${i}`, i);
    socket.sendBinary(syncStep2(updates[0] as Uint8Array));
    for (const u of updates.slice(1)) socket.sendBinary(syncUpdate(u));
    socket.sendBinary(syncUpdate(updates[0] as Uint8Array)); // a duplicate still counts: it is stored (already)
    await waitFor(() => lastAck(socket.messages) === 6, { what: 'ack 6' });
    // Acks only grow, and a sync step 1 is not counted.
    const acks = socket.messages.map(decodeServerMessage).flatMap((m) => (m.type === 'ack' ? [m.count] : []));
    expect(acks).toEqual([...acks].sort((x, y) => x - y));
    expect(
      socket.messages.some(
        (m) => decodeServerMessage(m).type === 'sync' && (decodeServerMessage(m) as { step: number }).step === SyncStep.step2,
      ),
    ).toBe(true);
    socket.destroy();

    // Without ?ack=1 there are none; in a shared room (read-only) there is nothing to ack.
    for (const path of [`/sync/notes/p1?token=${anne.token}`, `/sync/shared/udvalg/p1?token=${anne.token}&ack=1`]) {
      const quiet = await openRawSocket(server.port, path);
      quiet.sendBinary(syncUpdate(updates[1] as Uint8Array));
      quiet.sendBinary(syncStep1(new Y.Doc()));
      await waitFor(() =>
        quiet.messages.some(
          (m) => decodeServerMessage(m).type === 'sync' && (decodeServerMessage(m) as { step: number }).step === SyncStep.step2,
        ),
      );
      expect(quiet.messages.some((m) => decodeServerMessage(m).type === 'ack')).toBe(false);
      quiet.destroy();
    }
  });

  // pdf.js, the exporters (pdf-lib, fontkit), the PostgreSQL driver and the Redis client were
  // nearly half an idle server's heap and start-up time, and a server on SQLite without --redis needs none of them;
  // an admin command needs only the database.
  it.skipIf(testBackend !== 'sqlite')(
    'holds neither pdf.js, the exporters, PostgreSQL nor Redis until an export asks for its renderer; admin only the database',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'randnoter-packages-'));
      const dbPath = join(dir, 'randnoter.sqlite');
      const hook = fileURLToPath(new URL('../support/package-log-hook.ts', import.meta.url));
      const logTo = (file: string) => ({
        RANDNOTER_TEST_PACKAGE_LOG: join(dir, file),
        RANDNOTER_TEST_SOURCE_LOG: join(dir, `modules-${file}`),
        NODE_OPTIONS: `--import ${hook}`,
      });
      const read = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').sort();
      // The sources: each package is its own load (the build bundles most of them, see below).
      const user = await runAdmin(
        ['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', dbPath],
        logTo('admin.txt'),
        SOURCES_MAIN,
      );
      expect(read('admin.txt')).toEqual(['better-sqlite3', 'kysely']);
      const token = user.stdout.trim().split(/\s+/).at(-1) as string;
      const loaded = () => read('server.txt');
      spawned = await spawnServer(dbPath, { env: logTo('server.txt'), main: SOURCES_MAIN });
      const posted = await api(spawned.url, token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', 'fra mødet'));
      expect(posted.status).toBe(201);
      expect(loaded()).toEqual(expect.arrayContaining(['better-sqlite3', 'hono', 'kysely', 'ws', 'yjs']));
      for (const optional of ['pdfjs-dist', 'pdf-lib', '@pdf-lib/fontkit', 'pg', '@redis/client']) expect(loaded()).not.toContain(optional);
      // Nor the WAL checkpoint thread: it starts at the first look (every 10 s) that finds a write.
      expect(read('modules-server.txt').filter((url) => url.includes('wal-checkpoint-worker'))).toEqual([]);

      const pdf = await fetch(`${spawned.url}/api/packets/p1/export?format=overview-pdf`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(pdf.status).toBe(200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(loaded()).toContain('pdf-lib');
      for (const unused of ['pdfjs-dist', 'pg', '@redis/client']) expect(loaded()).not.toContain(unused);
    },
  );

  // The server ran its TypeScript through Node's type stripping at every start and resolved some
  // 430 module files one by one: 0.4-0.7 s to start and 150 MiB of RSS against the reference
  // y-websocket server's 0.2-0.4 s and 80-100 MiB (docs/PERFORMANCE.md, twelfth round).
  it.skipIf(testBackend !== 'sqlite')(
    'runs compiled: no TypeScript loaded, of its packages only the native addons until an export asks for its renderer',
    async () => {
      const built = await buildServer();
      try {
        const dir = mkdtempSync(join(tmpdir(), 'randnoter-compiled-'));
        const dbPath = join(dir, 'randnoter.sqlite');
        const hook = fileURLToPath(new URL('../support/package-log-hook.ts', import.meta.url));
        const logTo = (name: string) => ({
          RANDNOTER_TEST_PACKAGE_LOG: join(dir, `${name}-packages.txt`),
          RANDNOTER_TEST_SOURCE_LOG: join(dir, `${name}-modules.txt`),
          NODE_OPTIONS: `--import ${hook}`,
        });
        const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim().split('\n').sort() : []);
        const ownModulesAreBuilt = (file: string) => {
          const modules = read(file);
          expect(modules.length).toBeGreaterThan(0);
          for (const url of modules) expect(url).toMatch(new RegExp(`^file://${built.dir}/dist/[\\w-]+\\.js$`));
        };

        const user = await runAdmin(
          ['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', dbPath],
          logTo('admin'),
          built.main,
        );
        expect(read('admin-packages.txt')).toEqual(['better-sqlite3']);
        ownModulesAreBuilt('admin-modules.txt');
        const token = user.stdout.trim().split(/\s+/).at(-1) as string;

        spawned = await spawnServer(dbPath, { env: logTo('server'), main: built.main });
        const notes = await connectSynced(spawned.wsUrl, 'notes/p1', token);
        clients.push(notes);
        const posted = await api(spawned.url, token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', 'fra mødet'));
        expect(posted.status).toBe(201);
        // The native addons: the database driver, and ws's frame masking (bufferutil, found through node-gyp-build).
        expect(read('server-packages.txt')).toEqual(['better-sqlite3', 'bufferutil', 'node-gyp-build']);
        ownModulesAreBuilt('server-modules.txt');
        expect(read('server-modules.txt')).not.toContain(`file://${built.dir}/dist/wal-checkpoint-worker.js`);

        const pdf = await fetch(`${spawned.url}/api/packets/p1/export?format=overview-pdf`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(pdf.status).toBe(200);
        expect(
          Buffer.from(await pdf.arrayBuffer())
            .subarray(0, 5)
            .toString('latin1'),
        ).toBe('%PDF-');
        expect(read('server-packages.txt')).toContain('pdf-lib');
        ownModulesAreBuilt('server-modules.txt');
        expect(read('server-modules.txt')).toContain(`file://${built.dir}/dist/export-worker.js`);

        notes.destroy();
        expect(await spawned.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      } finally {
        built.remove();
      }
    },
  );

  // `admin backup` copies a SQLite file; PostgreSQL is backed up with pg_dump (docs/DEPLOYMENT.md).
  it.skipIf(testBackend !== 'sqlite')('backs up online while clients write; the backup restores and serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-backup-'));
    const dbPath = join(dir, 'randnoter.sqlite');
    const backup = join(dir, 'backups', 'randnoter-backup.sqlite');
    const user = await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', '--db', dbPath]);
    const token = user.stdout.trim().split(/\s+/).at(-1) as string;
    spawned = await spawnServer(dbPath);
    const running = spawned;
    const writer = await openAckWriter(running.wsUrl, 'notes/p1', token, 'n');
    writers.push(writer);
    const writing = writer.writeUntilStopped(20_000);
    let comments = 0;
    const commenting = (async () => {
      while (!existsSync(backup) && comments < 2_000) {
        const answer = await api(
          running.url,
          token,
          'POST',
          '/api/groups/udvalg/packets/p1/annotations',
          commentDraft(`c${comments}`, 'under backup'),
        );
        if (answer.status === 201) comments++;
      }
    })();
    await waitFor(() => writer.acked >= 500 && comments >= 20, { what: 'writes under way' });

    const ackedBefore = writer.ackedIds();
    const commentsBefore = comments;
    const out = await runAdmin(['backup', backup, '--db', dbPath]);
    expect(out.stdout).toContain(`Backed up ${dbPath} to ${backup}`);
    writer.stop();
    await Promise.all([writing, commenting]);
    expect(writer.closeCode).toBeNull(); // the backup did not disturb the server
    await expect(runAdmin(['backup', backup, '--db', dbPath])).rejects.toThrow(/exists/);

    // Restore = start a server on the copy.
    server = await startTestServer({ database: backup });
    const notes = await connectSynced(server.wsUrl, 'notes/p1', token);
    clients.push(notes);
    const restored = new Set(readAnnotations(notes.doc).map((a) => a.id));
    expect(ackedBefore.filter((id) => !restored.has(id))).toEqual([]);
    const shared = await api<{ total: number }>(server.url, token, 'GET', '/api/groups/udvalg/packets/p1/annotations');
    expect(shared.body.total).toBeGreaterThanOrEqual(commentsBefore);
    expect((await api(server.url, token, 'GET', '/api/me')).status).toBe(200);
  });
  // Files made before incremental vacuum keep their free pages; one too big to convert at a
  // server's start is converted by this command, with the server stopped.
  it.skipIf(testBackend !== 'sqlite')('admin vacuum rewrites an old file without its free pages, in incremental vacuum mode', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'randnoter-vacuum-')), 'randnoter.sqlite');
    const old = new SQLite(dbPath);
    old.pragma('journal_mode = WAL');
    old.exec('create table log (data blob)');
    const insert = old.prepare('insert into log (data) values (?)');
    old.transaction(() => {
      for (let i = 0; i < 1_000; i++) insert.run(new Uint8Array(4096).fill(i % 251));
    })();
    old.exec('delete from log');
    old.close();
    const before = statSync(dbPath).size;

    const { stdout } = await runAdmin(['vacuum', '--db', dbPath]);
    expect(stdout).toMatch(/^Vacuumed .* MiB -> .* MiB/);
    expect(statSync(dbPath).size).toBeLessThan(before / 10);
    const sqlite = new SQLite(dbPath, { readonly: true });
    try {
      expect(sqlite.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    } finally {
      sqlite.close();
    }
  });
  it.runIf(testBackend === 'postgres')('on PostgreSQL, admin backup points to pg_dump instead of copying a file', async () => {
    const database = await tempDatabase();
    const target = join(mkdtempSync(join(tmpdir(), 'randnoter-backup-')), 'copy.sqlite');
    await expect(runAdmin(['backup', target, ...databaseArgs(database)])).rejects.toThrow(/pg_dump/);
    expect(existsSync(target)).toBe(false);
  });
});
