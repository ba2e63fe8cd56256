/**
 * Redis is a convenience, never the record: while it is down (killed, restarting), two processes
 * sharing rooms keep accepting and acknowledging writes and still bring them to each other through
 * the database; once it is back they hear each other live again. This test runs its own Redis,
 * since it kills it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AckWriter, openAckWriter } from '../support/ack-writer.ts';
import { api, commentDraft } from '../support/api.ts';
import { testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const run = promisify(execFile);
const PACKET = 'pakke-1';
const SHARED_ROOM = `shared/udvalg/${PACKET}`;
const SHARED = `/api/groups/udvalg/packets/${PACKET}/annotations`;
const BACK = 'redis connection back: rooms catch up from the database';

const bodies = (client: Client) =>
  liveAnnotations(client.doc)
    .map((a) => a.body)
    .sort();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A throwaway redis-server on 127.0.0.1 that can be killed and started again on its port. */
class TestRedis {
  readonly port: number;
  #child: ChildProcess | null = null;

  constructor(port: number) {
    this.port = port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(() => output.includes('Ready to accept connections') || child.exitCode !== null, { what: 'redis-server to start' });
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
  }

  /** How many connections subscribe to `channel` (redis-cli PUBSUB NUMSUB). */
  async subscribers(channel: string): Promise<number> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'PUBSUB', 'NUMSUB', channel]);
    return Number(stdout.trim().split('\n')[1]);
  }

  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

const hasRedisServer = await new Promise<boolean>((resolve) => {
  const which = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  which.on('error', () => resolve(false));
  which.on('exit', (code) => resolve(code === 0));
});

describe.runIf(testBackend === 'postgres')('two processes sharing rooms while Redis restarts', () => {
  let redis: TestRedis | null = null;
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  beforeEach((context) => {
    if (!hasRedisServer) context.skip("redis-server is not installed (Debian's redis-server package; .ci/run installs it)");
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await redis?.kill();
    redis = null;
  });

  it('acknowledges and delivers every write while Redis is down, and fans out live again once it is back', async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    const prefix = `restart-${randomBytes(4).toString('hex')}:`;
    const logs: string[][] = [[], []];
    const p1 = await startTestServer({ redisUrl: redis.url, redisPrefix: prefix, logLines: logs[0], logLevel: 'info' });
    servers.push(p1);
    const p2 = await startTestServer({
      redisUrl: redis.url,
      redisPrefix: prefix,
      database: p1.database,
      logLines: logs[1],
      logLevel: 'info',
    });
    servers.push(p2);
    const anne = await p1.addUser('Anne Jensen', 'udvalg');
    const onP2 = await connectSynced(p2.wsUrl, `notes/${PACKET}`, anne.token);
    const readerOnP1 = await connectSynced(p1.wsUrl, SHARED_ROOM, anne.token);
    clients.push(onP2, readerOnP1);
    const writer = await openAckWriter(p1.wsUrl, `notes/${PACKET}`, anne.token, 'n');
    writers.push(writer);

    writer.write('før');
    await waitFor(() => bodies(onP2).includes('før'), { what: 'a note relayed through Redis' });

    await redis.kill();
    // Writes go on: committed and acknowledged on process 1, comments answered on process 2.
    writer.write('under nedbrud');
    await waitFor(() => writer.acked === 2, { what: 'the note written while Redis is down to be acknowledged' });
    expect((await api(p2.url, anne.token, 'POST', SHARED, commentDraft('c1', 'kommentar under nedbrud'))).status).toBe(201);
    // The other process finds them in the database (it compares room heads every 2 s).
    await waitFor(() => bodies(onP2).includes('under nedbrud'), { what: 'the note on process 2 without Redis' });
    await waitFor(() => bodies(readerOnP1).includes('kommentar under nedbrud'), { what: 'the comment on process 1 without Redis' });

    await redis.start();
    await waitFor(() => logs.every((lines) => lines.some((line) => line.includes(BACK))), {
      what: 'both processes to reconnect to Redis',
      timeoutMs: 15_000,
    });
    // Subscribed again, both of them: the live path, not only the database's head check.
    const channel = `${prefix}room:notes/${anne.id}/${PACKET}`;
    await waitFor(async () => (await redis?.subscribers(channel)) === 2, { what: 'both processes to subscribe again' });
    writer.write('efter');
    expect((await api(p2.url, anne.token, 'POST', SHARED, commentDraft('c2', 'kommentar efter'))).status).toBe(201);
    await waitFor(() => bodies(onP2).includes('efter'), { what: 'a note relayed after the restart' });
    await waitFor(() => bodies(readerOnP1).includes('kommentar efter'), { what: 'a comment relayed after the restart' });
    expect(bodies(onP2)).toEqual(['efter', 'før', 'under nedbrud']);
    expect(writer.acked).toBe(3);
    // Neither process dropped a room or a socket over it.
    expect(onP2.provider.wsconnected && readerOnP1.provider.wsconnected).toBe(true);
    expect(logs.flat().filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});
