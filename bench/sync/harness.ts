/**
 * What every scenario needs: a server under test in its own data directory (start, restart,
 * SIGKILL, RSS, retained memory), its clients, and bounded waits. Waits poll a condition or a promise; nothing
 * sleeps for a fixed time, and every wait has a deadline.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuTicks, rssBytes, type ServerProcess } from './server-process.ts';
import { BENCH_DIR, type Credentials, type ServerKind, type StartOptions } from './servers.ts';
import { type ClientOptions, SyncClient } from './sync-client.ts';

export class ServerUnderTest {
  readonly kind: ServerKind;
  readonly dataDir: string;
  readonly credentials: Credentials;
  #process: ServerProcess;
  #options: StartOptions;
  #starts = 0;

  private constructor(kind: ServerKind, dataDir: string, credentials: Credentials, process: ServerProcess, options: StartOptions) {
    this.kind = kind;
    this.dataDir = dataDir;
    this.credentials = credentials;
    this.#process = process;
    this.#options = options;
  }

  /** A fresh data directory `<runDir>/<scenario>-<server>`, initialised, and the server started. */
  static async start(kind: ServerKind, runDir: string, scenario: string, options: StartOptions = {}): Promise<ServerUnderTest> {
    const dataDir = join(runDir, `${scenario}-${kind.id}`);
    mkdirSync(dataDir, { recursive: true });
    const credentials = await kind.init(dataDir);
    const process = await kind.start(dataDir, join(dataDir, 'server-0.log'), options);
    return new ServerUnderTest(kind, dataDir, credentials, process, options);
  }

  get port(): number {
    return this.#process.port;
  }

  get pid(): number {
    return this.#process.pid;
  }

  rss(): number {
    return rssBytes(this.#process.pid);
  }

  /**
   * Milliseconds from spawning the current process until its `/health` (any path, on the peers,
   * which answer every GET with 200) first answers 200. Call it right after a (re)start: it polls
   * from the moment it is called, so a late call counts the delay against the server.
   */
  async healthyMs(timeoutMs = 30_000): Promise<number> {
    const url = `http://127.0.0.1:${this.port}/health`;
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const response = await fetch(url).catch(() => null);
      await response?.arrayBuffer();
      if (response?.status === 200) return performance.now() - this.#process.spawnedAt;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`${this.kind.id}: /health did not answer 200 within ${timeoutMs} ms`);
  }

  /** Bytes of the files in the data directory, by path relative to it; the harness's server logs left out. */
  filesOnDisk(): Record<string, number> {
    const files: Record<string, number> = {};
    for (const entry of readdirSync(this.dataDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || /^server-\d+\.log$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(this.dataDir, path)] = statSync(path).size;
    }
    return files;
  }

  /** A client of `room`; `url` overrides the server's usual room URL (Randnoter's shared rooms). */
  client(room: string, options: Pick<ClientOptions, 'applyRemote' | 'localAddress' | 'onRelayed'> & { url?: string }): SyncClient {
    return new SyncClient({
      url: this.kind.roomUrl(this.port, room, this.credentials),
      room,
      token: this.credentials.token,
      framing: this.kind.framing,
      ...options,
    });
  }

  /**
   * Heap and external memory the server holds after a full garbage collection; only for a server
   * started with RETAINED_MEMORY_ARGS.
   */
  async retainedMemory(): Promise<RetainedMemory> {
    const log = join(this.dataDir, `server-${this.#starts}.log`);
    const before = retainedReports(log).length;
    process.kill(this.pid, 'SIGUSR2');
    let report: RetainedMemory | undefined;
    const reported = await until(() => {
      report = retainedReports(log)[before];
      return report !== undefined;
    }, 10_000);
    if (!reported || !report) throw new Error(`${this.kind.id} did not report its retained memory (started without RETAINED_MEMORY_ARGS?)`);
    return report;
  }

  /**
   * Waits until the server has used almost no CPU for `quietMs` (at most `timeoutMs`): what it
   * does in the background after answering (a store queue, a debounced save, a compaction) is
   * done then. False when it was still busy at the deadline.
   */
  async quiet(quietMs = 300, timeoutMs = 15_000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    // Under 3 ticks (30 ms at USER_HZ 100) in the window: below a tenth of a core.
    const window: Array<{ at: number; ticks: number }> = [];
    while (performance.now() < deadline) {
      const now = { at: performance.now(), ticks: cpuTicks(this.pid) };
      window.push(now);
      while (window.length > 1 && now.at - (window[1] as { at: number }).at >= quietMs) window.shift();
      const first = window[0] as { at: number; ticks: number };
      if (now.at - first.at >= quietMs && now.ticks - first.ticks < 3) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  /** SIGTERM (the server's graceful shutdown), then a new process on the same data. */
  async restart(): Promise<void> {
    await this.#process.stop();
    await this.#respawn();
  }

  /** SIGKILL now, synchronously, so nothing after the caller's observation can still be saved. */
  killNow(): Promise<void> {
    return this.#process.kill();
  }

  async respawnAfterKill(): Promise<void> {
    await this.#process.exited;
    await this.#respawn();
  }

  stop(): Promise<void> {
    return this.#process.stop();
  }

  async #respawn(): Promise<void> {
    this.#starts++;
    this.#process = await this.kind.start(this.dataDir, join(this.dataDir, `server-${this.#starts}.log`), this.#options);
  }
}

export interface RetainedMemory {
  heapUsed: number;
  external: number;
  rss: number;
}

/** Node arguments that let a server report what it retains (see retained-memory.mjs). */
export const RETAINED_MEMORY_ARGS = ['--expose-gc', '--import', pathToFileURL(join(BENCH_DIR, 'retained-memory.mjs')).href];

const RETAINED_PREFIX = 'retained-memory ';

function retainedReports(log: string): RetainedMemory[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(RETAINED_PREFIX))
    .map((line) => JSON.parse(line.slice(RETAINED_PREFIX.length)) as RetainedMemory);
}

/** Rejects after `ms` unless `promise` settles first. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` every few milliseconds until it is true; false when `ms` passed first. */
export async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

/** Lets pending I/O callbacks run between chunks of synchronous sending. */
export const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Opens `count` clients with at most `parallel` handshakes in flight; resolves once every one of
 * them has completed its first sync. Source addresses rotate over 127.0.0.2-9 so that tens of
 * thousands of sockets do not exhaust one address's ephemeral ports.
 */
export async function openSynced(
  count: number,
  make: (index: number, localAddress: string) => SyncClient,
  { parallel = 100, timeoutMs = 120_000 } = {},
): Promise<SyncClient[]> {
  const clients: SyncClient[] = [];
  const deadline = performance.now() + timeoutMs;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const client = make(index, `127.0.0.${2 + (index % 8)}`);
      clients[index] = client;
      const left = Math.max(1, deadline - performance.now());
      await within(
        Promise.race([client.synced, client.closed.then((code) => Promise.reject(new Error(`client ${index} closed with ${code}`)))]),
        left,
        `client ${index} of ${count} to sync`,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  } catch (error) {
    closeAll(clients);
    throw error;
  }
  return clients;
}

/**
 * Waits until the handshake of `client` is over: the server answered a fresh sync step 1 and, where
 * it acknowledges writes, acknowledged everything sent so far (the sync step 2 of the handshake).
 */
export async function settled(server: ServerUnderTest, client: SyncClient): Promise<void> {
  await within(client.roundTrip(), 30_000, 'a sync round trip');
  if (server.kind.ackMode !== 'relay') {
    await within(client.whenAllAcked(), 30_000, `${server.kind.id} to acknowledge the handshake (${client.acked}/${client.sent})`);
  }
}

export function closeAll(clients: Iterable<SyncClient | undefined>): void {
  for (const client of clients) client?.terminate();
}
