/**
 * The real `randnoter` command as a child process: `serve` on port 0 (the port comes from the
 * "listening" JSON log line on stderr), and `admin` commands. For tests that kill the process.
 *
 * It runs the TypeScript sources (Node strips the types), so the tests need no build and never
 * run a stale one. `main` runs another entry point instead (built-server.ts builds one);
 * RANDNOTER_TEST_SERVER_MAIN runs every spawned server from it, e.g. `server/dist/main.js` after
 * `npm run build`, to run these tests against the compiled server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.ts';

export const SOURCES_MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
const MAIN = process.env.RANDNOTER_TEST_SERVER_MAIN ? resolvePath(process.env.RANDNOTER_TEST_SERVER_MAIN) : SOURCES_MAIN;

export interface SpawnedServer {
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly child: ChildProcess;
  /** Every stderr line so far (JSON log lines). */
  readonly logLines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `database`: a SQLite file or a postgres:// URL (see test-database.ts). */
export async function spawnServer(database: string, { env = {}, args = [] as string[], main = MAIN } = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--host', '127.0.0.1', '--database', database, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  let partial = '';
  let port = 0;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logLines.push(line);
      if (port === 0 && line.includes('"listening"')) port = (JSON.parse(line) as { port: number }).port;
    }
  });
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  await waitFor(
    () => {
      if (gone) throw new Error(`server exited before listening:\n${logLines.join('\n')}${partial}`);
      return port;
    },
    { timeoutMs: 20_000, what: 'the spawned server to listen' },
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    child,
    logLines,
    exited,
    kill(signal) {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `randnoter admin …` to completion; rejects on a non-zero exit. */
export function runAdmin(args: string[], env: Record<string, string> = {}, main = MAIN): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, 'admin', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('exit', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`randnoter admin ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

/** The last word of `admin user add`'s output is the token (a contract of the command line). */
export function lastWord(output: string): string {
  return output.trim().split(/\s+/).at(-1) ?? '';
}
