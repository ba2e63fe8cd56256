/**
 * PostgreSQL and Redis for one test run: a throwaway cluster (initdb into a temporary folder,
 * never the system's) and a Redis without persistence, on free 127.0.0.1 ports, stopped and
 * removed afterwards. test/run.ts starts them for `npm test`; the tests read
 * RANDNOTER_TEST_POSTGRES_URL (a role that may create databases: the tests make one per server)
 * and RANDNOTER_TEST_REDIS_URL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresBin } from './system-parts.ts';

export interface TestServices {
  postgresUrl: string;
  redisUrl: string;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Throws with the programs' own output when a service does not start. */
export async function startTestServices(): Promise<TestServices> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-services-'));
  chmodSync(dir, 0o755);
  const pgdata = join(dir, 'pg');
  mkdirSync(pgdata);
  const password = randomBytes(18).toString('base64url');
  writeFileSync(join(dir, 'pwfile'), `${password}\n`);
  // PostgreSQL refuses to run as root; Debian's package made the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    for (const path of [dir, pgdata, join(dir, 'pwfile')]) chownSync(path, postgresUid, -1);
  }
  const run = (program: string, args: string[], log: string) => {
    const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
    const result = spawnSync(command, commandArgs, { encoding: 'utf8', timeout: 90_000 });
    if (result.status !== 0) {
      let logged = '';
      try {
        logged = readFileSync(log, 'utf8');
      } catch {}
      throw new Error(`${program} failed: ${result.stderr || result.error?.message || ''}${logged}`);
    }
  };
  const stop = () => {
    const pid = readPid(join(dir, 'redis.pid'));
    if (pid) killQuietly(pid);
    const [command, args] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', pgdata, '-m', 'fast', '-w', 'stop']]
      : [join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'fast', '-w', 'stop']];
    spawnSync(command, args, { timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(
      join(bin, 'initdb'),
      ['-D', pgdata, '-U', 'randnoter', `--pwfile=${join(dir, 'pwfile')}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8'],
      join(dir, 'initdb.log'),
    );
    const pgPort = await freePort();
    // Loopback only, no Unix socket outside the folder; enough connections for parallel test files.
    const options = `-c listen_addresses=127.0.0.1 -c port=${pgPort} -c unix_socket_directories=${pgdata} -c max_connections=300`;
    run(
      join(bin, 'pg_ctl'),
      ['-D', pgdata, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', options, 'start'],
      join(dir, 'postgres.log'),
    );
    const redisPort = await freePort();
    const redis = spawnSync(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(redisPort),
        '--daemonize',
        'yes',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--pidfile',
        join(dir, 'redis.pid'),
        '--logfile',
        join(dir, 'redis.log'),
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (redis.status !== 0) throw new Error(`redis-server failed: ${redis.stderr}`);
    return {
      postgresUrl: `postgres://randnoter:${password}@127.0.0.1:${pgPort}/postgres`,
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

function readPid(file: string): number | null {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {}
}
