/**
 * Which CPUs the servers under test run on, and which the load generator. Left to the scheduler
 * on a 2-core machine, the server and the load generator often share one core while the other
 * idles: each relay's writes wake the load generator, and Linux's wake-affine placement pulls it
 * onto the waking server's core, so the server's send loop is interleaved with the load
 * generator's reading. That measured the scheduler's choices more than the servers (a relay to
 * 49 sockets took one server 0.95 ms and another 0.65 ms at the median, 0.43 and 0.53 ms with
 * the two processes apart; see docs/PERFORMANCE.md). Every server gets the same CPUs, one half of
 * the machine, and the load generator the other half; all threads of a process (libuv's pool,
 * LevelDB's, a worker) stay within its half.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuLayout {
  /** CPU list (taskset syntax) for every server process. */
  server: string;
  /** CPU list for the load generator (this process). */
  loadGenerator: string;
}

const TASKSET = '/usr/bin/taskset';

/** Null when the machine has one CPU or no taskset (util-linux): then everything shares them all. */
export function cpuLayout(cpus = availableParallelism()): CpuLayout | null {
  if (cpus < 2 || !existsSync(TASKSET)) return null;
  const half = Math.floor(cpus / 2);
  return { server: cpuRange(0, half), loadGenerator: cpuRange(half, cpus) };
}

/**
 * Moves every thread of this process onto the load generator's CPUs; threads made later inherit
 * them. Thread by thread: a short-lived thread may end between the listing and its move
 * (`taskset --all-tasks` then fails as a whole), and one that has ended needs no moving.
 */
export function pinLoadGenerator(layout: CpuLayout): void {
  for (const thread of readdirSync('/proc/self/task')) {
    try {
      execFileSync(TASKSET, ['--cpu-list', '--pid', layout.loadGenerator, thread], { stdio: 'ignore' });
    } catch (error) {
      if (existsSync(`/proc/self/task/${thread}`)) throw error;
    }
  }
}

/** The command that starts `command` on `cpus` (taskset executes it: same pid, so signals reach it). */
export function onCpus(cpus: string, command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: TASKSET, args: ['--cpu-list', cpus, command, ...args] };
}

function cpuRange(from: number, to: number): string {
  return to - from === 1 ? String(from) : `${from}-${to - 1}`;
}
