/**
 * The three servers under test: how to prepare a data directory, start the server on 127.0.0.1
 * (port chosen by the OS), and address a room on it.
 *
 *   randnoter   this repository's server, real authentication (`?token=`, private-notes rooms),
 *               `?ack=1` acks once a write is committed (SQLite WAL, write before relay)
 *   reference   @y/websocket-server with y-leveldb persistence (servers/reference-server.mjs)
 *   hocuspocus  @hocuspocus/server with @hocuspocus/extension-sqlite (servers/hocuspocus-server.mjs),
 *               on the system Node 20 (its better-sqlite3 build, see setup.ts)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Framing, hocuspocusFraming, yWebsocketFraming } from './framing.ts';
import { type ServerProcess, startProcess } from './server-process.ts';

const run = promisify(execFile);
export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = join(BENCH_DIR, '..', '..');
/** Hocuspocus runs on the system Node (see setup.ts); override with BENCH_NODE20. */
const NODE20 = process.env.BENCH_NODE20 ?? '/usr/bin/node';

export type ServerId = 'randnoter' | 'reference' | 'hocuspocus';

/**
 * What a client can know about a write being kept:
 *   ack          Randnoter's `[100, n]`: the first n updates are committed;
 *   sync-status  Hocuspocus's SyncStatus: the update was applied (its store is debounced);
 *   relay        nothing (the reference server has no ack): an observer client received it.
 */
type AckMode = 'ack' | 'sync-status' | 'relay';

export interface Credentials {
  /** The token the pure-Yjs clients use (one user, many devices: private-notes rooms on Randnoter). */
  token: string;
  /** Randnoter only: a second member of `group` who posts the shared-room intents. */
  posterToken?: string;
  group?: string;
}

export interface StartOptions {
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** CPU list for the server process (see cpu-layout.ts). */
  cpus?: string;
}

export interface ServerKind {
  readonly id: ServerId;
  readonly label: string;
  readonly framing: Framing;
  readonly ackMode: AckMode;
  /** Creates what the server needs in a fresh data directory before its first start. */
  init(dataDir: string): Promise<Credentials>;
  start(dataDir: string, logFile: string, options?: StartOptions): Promise<ServerProcess>;
  /** WebSocket URL of a room; `room` is a plain identifier ([A-Za-z0-9_-]). */
  roomUrl(port: number, room: string, credentials: Credentials): string;
}

/**
 * The compiled server, as `npm start` runs it (setup.ts builds it). BENCH_RANDNOTER_MAIN runs
 * another entry point: another checkout's server (before/after comparisons, see
 * docs/PERFORMANCE.md), or `server/src/main.ts` for the sources through type stripping.
 */
const SERVER_MAIN = process.env.BENCH_RANDNOTER_MAIN ?? join(REPO_ROOT, 'server', 'dist', 'main.js');

async function addUser(db: string, name: string, group: string): Promise<string> {
  const { stdout } = await run(process.execPath, [SERVER_MAIN, 'admin', 'user', 'add', '--name', name, '--group', group, '--db', db], {
    cwd: REPO_ROOT,
  });
  const token = stdout.trim().split(/\s+/).at(-1);
  if (!token?.startsWith('rn_')) throw new Error(`admin user add printed no token: ${stdout}`);
  return token;
}

async function packageVersion(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}
const versionCache = new Map<string, string>();
export async function loadVersions(): Promise<void> {
  const nm = join(BENCH_DIR, 'node_modules');
  const entries: Array<[string, string]> = [
    ['randnoter', join(REPO_ROOT, 'server', 'package.json')],
    ['yjs (randnoter)', join(REPO_ROOT, 'node_modules', 'yjs', 'package.json')],
    ['ws (randnoter)', join(REPO_ROOT, 'node_modules', 'ws', 'package.json')],
    ['better-sqlite3 (randnoter)', join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'package.json')],
    ['@y/websocket-server', join(nm, '@y', 'websocket-server', 'package.json')],
    ['@y/protocols (@y/websocket-server)', join(nm, '@y', 'protocols', 'package.json')],
    ['ws (@y/websocket-server)', join(nm, '@y', 'websocket-server', 'node_modules', 'ws', 'package.json')],
    ['y-leveldb', join(nm, 'y-leveldb', 'package.json')],
    ['@hocuspocus/server', join(nm, '@hocuspocus', 'server', 'package.json')],
    ['@hocuspocus/extension-sqlite', join(nm, '@hocuspocus', 'extension-sqlite', 'package.json')],
    ['better-sqlite3 (hocuspocus)', join(nm, 'better-sqlite3', 'package.json')],
    ['yjs (reference, hocuspocus, load generator)', join(nm, 'yjs', 'package.json')],
  ];
  for (const [name, path] of entries) versionCache.set(name, await packageVersion(path).catch(() => 'missing'));
  const { stdout } = await run(NODE20, ['--version']).catch(() => ({ stdout: 'missing' }));
  versionCache.set('node (hocuspocus)', stdout.trim());
  versionCache.set('node (randnoter, reference, load generator)', process.version);
}
/** Every version `loadVersions` found, for the report. */
export function versions(): Record<string, string> {
  return Object.fromEntries(versionCache);
}

const randnoter: ServerKind = {
  id: 'randnoter',
  label: 'Randnoter',
  framing: yWebsocketFraming,
  ackMode: 'ack',
  async init(dataDir) {
    const db = join(dataDir, 'randnoter.sqlite');
    const token = await addUser(db, 'Bench Reader', 'bench');
    const posterToken = await addUser(db, 'Bench Poster', 'bench');
    return { token, posterToken, group: 'bench' };
  },
  start(dataDir, logFile, options = {}) {
    return startProcess({
      command: process.execPath,
      args: [
        ...(options.nodeArgs ?? []),
        SERVER_MAIN,
        'serve',
        '--port',
        '0',
        '--db',
        join(dataDir, 'randnoter.sqlite'),
        '--log-level',
        'info',
      ],
      cwd: REPO_ROOT,
      logFile,
      ...(options.cpus ? { cpus: options.cpus } : {}),
      // The scenarios connect thousands of devices of one user (the setup), all from one
      // address: the limits per user and per address (docs/SECURITY.md) are lifted, as they are
      // for one user behind a proxy; the limits per server stay as they are.
      env: {
        RANDNOTER_MAX_CONNECTIONS_PER_USER: '1000000',
        RANDNOTER_MAX_UNAUTHENTICATED_PER_ADDRESS: '1024',
        RANDNOTER_USER_SEND_BURST_BYTES: String(2 ** 40),
        RANDNOTER_MAX_USER_UNSENT_BYTES: String(2 ** 40),
        RANDNOTER_USER_MAX_STORED_BYTES: String(2 ** 40),
        ...options.env,
      },
    });
  },
  roomUrl: (port, room, { token }) => `ws://127.0.0.1:${port}/sync/notes/${room}?token=${token}&ack=1`,
};

const reference: ServerKind = {
  id: 'reference',
  label: 'y-websocket server',
  framing: yWebsocketFraming,
  ackMode: 'relay',
  init: async () => ({ token: '' }),
  start(dataDir, logFile, options = {}) {
    return startProcess({
      command: process.execPath,
      args: [
        ...(options.nodeArgs ?? []),
        join(BENCH_DIR, 'servers', 'reference-server.mjs'),
        '--port',
        '0',
        '--dir',
        join(dataDir, 'leveldb'),
      ],
      cwd: BENCH_DIR,
      logFile,
      ...(options.cpus ? { cpus: options.cpus } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  },
  roomUrl: (port, room) => `ws://127.0.0.1:${port}/${room}`,
};

const hocuspocus: ServerKind = {
  id: 'hocuspocus',
  label: 'Hocuspocus',
  framing: hocuspocusFraming,
  ackMode: 'sync-status',
  init: async () => ({ token: 'bench' }),
  start(dataDir, logFile, options = {}) {
    return startProcess({
      command: NODE20,
      args: [
        ...(options.nodeArgs ?? []),
        join(BENCH_DIR, 'servers', 'hocuspocus-server.mjs'),
        '--port',
        '0',
        '--db',
        join(dataDir, 'hocuspocus.sqlite'),
      ],
      cwd: BENCH_DIR,
      logFile,
      ...(options.cpus ? { cpus: options.cpus } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  },
  // One socket may carry several documents; the room travels in every frame (see framing.ts).
  roomUrl: (port) => `ws://127.0.0.1:${port}/`,
};

export const SERVERS: readonly ServerKind[] = [randnoter, reference, hocuspocus];
