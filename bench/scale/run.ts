/**
 * Throughput of two server processes sharing rooms (PostgreSQL + Redis) against one.
 *
 *   npm run bench:scale                      # starts a throwaway PostgreSQL and Redis itself
 *   node bench/scale/run.ts [--users 16] [--notes 600] [--intents 60]   # with RANDNOTER_TEST_POSTGRES_URL and RANDNOTER_TEST_REDIS_URL set
 *
 * Setups, each on a fresh database, each with real `randnoter serve` processes:
 *   sqlite-1     one process on SQLite (the default; reference)
 *   pg-1         one process on PostgreSQL
 *   pg-2-spread  two processes on PostgreSQL sharing rooms through Redis, every room on both: a
 *                user's two devices sit on different processes and their comments alternate
 *                between them (the worst case: every update is applied by both processes)
 *   pg-2-sticky  the same two processes, each user on one of them (a load balancer that routes
 *                by user); only the shared rooms span both
 * Workload per setup, the same for all: every user has two devices (?ack=1 sockets) in their
 * private-notes room; each device sends `notes` notes, keeping at most 200 unacknowledged. At
 * the same time every user posts `intents` shared comments, one after the other, to one of four
 * shared rooms. Reported: acknowledged updates per second, answered intents per second, their
 * median latency, and the CPU time the server processes used per 1,000 writes (Linux /proc).
 * Bounded: each phase stops after 120 s.
 * The load generator runs on the same machine; on a small machine it competes with the servers
 * and PostgreSQL for the same cores (docs/DEPLOYMENT.md discusses the numbers).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createUser } from '@randnoter/server/auth/accounts';
import { databaseOf } from '@randnoter/server/config';
import { openDatabase } from '@randnoter/server/storage/database';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { writeNotes } from '../support/note-writer.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '16' },
    notes: { type: 'string', default: '600' },
    intents: { type: 'string', default: '60' },
  },
});
const USERS = Number(values.users);
const NOTES = Number(values.notes);
const INTENTS = Number(values.intents);
const PHASE_LIMIT_MS = 120_000;
const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
const postgresUrl = process.env.RANDNOTER_TEST_POSTGRES_URL;
const redisUrl = process.env.RANDNOTER_TEST_REDIS_URL;
if (!postgresUrl || !redisUrl) {
  console.error('bench:scale needs RANDNOTER_TEST_POSTGRES_URL and RANDNOTER_TEST_REDIS_URL (npm run bench:scale starts both)');
  process.exit(2);
}

interface Server {
  url: string;
  child: ChildProcess;
}

function serve(database: string, args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--database', database, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${buffered}`)));
  });
}

/** The port comes from the "listening" line, logged at info. */
const SERVE_ARGS = ['--log-level', 'info'];

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

async function freshPostgres(): Promise<string> {
  const name = `randnoter_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

async function addUsers(database: string): Promise<string[]> {
  const opened = openDatabase(databaseOf({ database }, {}));
  await migrateToLatest(opened.db as Kysely<unknown>);
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) tokens.push((await createUser(opened.db, `Bruger ${i}`, 'bench', new Date().toISOString())).token);
  await opened.close();
  return tokens;
}

/** One user's comments, one after the other; returns each answer's latency in ms. */
/** Which process a user's device (0, 1) or comment (device = comment number) reaches. */
type Placement = (user: number, device: number, processes: number) => number;
const spread: Placement = (user, device, processes) => (user + device) % processes;
const sticky: Placement = (user, _device, processes) => user % processes;

async function postIntents(servers: Server[], token: string, user: number, placement: Placement): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = Date.now() + PHASE_LIMIT_MS;
  for (let i = 0; i < INTENTS && Date.now() < deadline; i++) {
    const server = servers[placement(user, i, servers.length)] as Server;
    const started = performance.now();
    const response = await fetch(`${server.url}/api/groups/bench/packets/delt-${user % 4}/annotations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `u${user}-c${i}`, kind: 'comment', body: `kommentar ${i}`, target: { page: 1 } }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`intent answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

async function measure(name: string, database: string, processes: number, args: string[], placement: Placement = spread) {
  const tokens = await addUsers(database);
  const env = { RANDNOTER_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}:` };
  const servers = await Promise.all(Array.from({ length: processes }, () => serve(database, [...SERVE_ARGS, ...args], env)));
  try {
    const cpuBefore = servers.reduce((n, s) => n + cpuSeconds(s.child.pid), 0);
    const started = performance.now();
    let updatesDone = 0;
    let intentsDone = 0;
    const writing = tokens.flatMap((token, user) =>
      [0, 1].map((device) =>
        writeNotes({
          baseUrl: (servers[placement(user, device, processes)] as Server).url,
          token,
          packet: 'pakke',
          device: `d${device}`,
          count: NOTES,
          timeLimitMs: PHASE_LIMIT_MS,
        }).then(() => {
          updatesDone = performance.now();
        }),
      ),
    );
    const posting = tokens.map((token, user) =>
      postIntents(servers, token, user, placement).then((l) => {
        intentsDone = performance.now();
        return l;
      }),
    );
    await Promise.all(writing);
    const latencies = (await Promise.all(posting)).flat().sort((a, b) => a - b);
    const serverCpu = servers.reduce((n, s) => n + cpuSeconds(s.child.pid), 0) - cpuBefore;
    return {
      name,
      processes,
      updatesPerSecond: (tokens.length * 2 * NOTES) / ((updatesDone - started) / 1000),
      intentsPerSecond: latencies.length / ((intentsDone - started) / 1000),
      intentMedianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
      // Server CPU per 1,000 writes (updates + intents), start-up excluded: shows the cost of fan-out.
      cpuMsPerThousand: (serverCpu * 1000 * 1000) / (tokens.length * (2 * NOTES + latencies.length)),
    };
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode === null ? s.child.once('exit', r) : r(null)))));
  }
}

const sqlite = () => join(mkdtempSync(join(tmpdir(), 'randnoter-bench-')), 'bench.sqlite');
const results = [];
// Twice each, interleaved, so a noisy neighbour does not favour one setup.
for (let round = 0; round < 2; round++) {
  results.push(await measure('sqlite-1', sqlite(), 1, []));
  results.push(await measure('pg-1', await freshPostgres(), 1, []));
  results.push(await measure('pg-2-spread', await freshPostgres(), 2, ['--redis', redisUrl], spread));
  results.push(await measure('pg-2-sticky', await freshPostgres(), 2, ['--redis', redisUrl], sticky));
}
console.log(
  `scale benchmark: ${USERS} users x 2 devices x ${NOTES} acked notes, plus ${USERS} x ${INTENTS} sequential intents; ${cpus().length} cores`,
);
console.log('setup         processes   updates/s   intents/s   intent median   server CPU per 1,000 writes');
for (const r of results) {
  console.log(
    `${r.name.padEnd(13)} ${String(r.processes).padStart(9)} ${Math.round(r.updatesPerSecond).toString().padStart(11)} ${Math.round(r.intentsPerSecond).toString().padStart(11)} ${r.intentMedianMs.toFixed(1).padStart(12)} ms ${r.cpuMsPerThousand.toFixed(0).padStart(14)} ms`,
  );
}
