/**
 * A server under test as a child process: started, awaited until it prints its JSON `listening`
 * line (with the port) on stderr, stopped gracefully (SIGTERM) or killed (SIGKILL). Its stderr
 * goes to a log file; the readiness wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { onCpus } from './cpu-layout.ts';

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  logFile: string;
  /** CPU list to run on (see cpu-layout.ts); all CPUs when absent. */
  cpus?: string;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** When the process was spawned (performance.now()), for the time to healthy. */
  readonly spawnedAt: number;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited within `ms`. */
  stop(ms?: number): Promise<void>;
  kill(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

export async function startProcess(spec: SpawnSpec): Promise<ServerProcess> {
  const { command, args } = spec.cpus ? onCpus(spec.cpus, spec.command, spec.args) : spec;
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => fail(new Error(`not listening within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${spec.command} ${spec.args.join(' ')}: ${error.message}; log ${spec.logFile}`));
    };
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const port = listeningPort(line);
        if (port !== null) {
          clearTimeout(timer);
          child.stderr?.off('data', onData);
          resolve(port);
          return;
        }
      }
    };
    child.stderr?.on('data', onData);
    child.stderr?.pipe(log);
    child.once('exit', (code) => fail(new Error(`exited with ${code} before listening`)));
  });
  return {
    pid: child.pid as number,
    port,
    spawnedAt,
    exited,
    stop: (ms = 20_000) => stopChild(child, exited, ms),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function listeningPort(line: string): number | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return parsed.msg === 'listening' && typeof parsed.port === 'number' ? parsed.port : null;
  } catch {
    return null;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time the process has used so far (all threads, user and system), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
