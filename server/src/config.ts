/**
 * Settings, read here only: command-line flags first, then RANDNOTER_* environment variables,
 * then defaults. Every limit is documented in docs/OPERATIONS.md.
 */

import type { Level } from './log.ts';
import type { DatabaseConfig, Durability } from './storage/database.ts';

export interface ServerConfig {
  host: string;
  port: number;
  /** SQLite file (the default) or PostgreSQL. */
  database: DatabaseConfig;
  /** Redis URL: processes that share one database share rooms through it; none on one process. */
  redisUrl?: string;
  /** Channel prefix in Redis, so deployments that share one Redis do not hear each other. */
  redisPrefix: string;
  logLevel: Level;
  /** Folder served at /demo/ (npm start's demo packet). */
  demoDir?: string;
  /** On an empty database, create this user and group and print the user's token. */
  bootstrap?: { userName: string; groupId: string };
  /** Where the built extension is, to print at start. */
  extensionDir?: string;
  limits: Limits;
}

export interface Limits {
  /** Largest WebSocket frame; larger frames close the socket with 1009. */
  maxFrameBytes: number;
  /** Stored size at which a document refuses further writes (close 4413 / HTTP 413). */
  maxDocBytes: number;
  /** Largest HTTP JSON body. */
  maxBodyBytes: number;
  /** A socket stops being read while this many bytes of its updates await commit. */
  maxPendingBytes: number;
  /** Fold a room's update log into a snapshot after this many updates (once the log is as big as the snapshot). */
  compactAfterUpdates: number;
  /** A due compaction waits until a room has had no write for this long (a burst is not slowed by it)... */
  compactQuietMs: number;
  /** ...or until it has been due for this long (a room that is never quiet still compacts). */
  compactMaxWaitMs: number;
  /** Unload rooms that nobody used for this long. */
  idleUnloadMs: number;
  /** A socket without `?token` must send its auth message within this time (else close 4408). */
  authTimeoutMs: number;
  /** How often open sockets re-check their token, so a revoked token also ends live sessions. */
  reauthIntervalMs: number;
  /** Sustained messages per second per socket; above it the socket stops being read for a while. */
  messagesPerSecond: number;
  /** Messages a socket may send at once before the rate applies (a 10,000-note import is one burst). */
  messageBurst: number;
  /** A socket still over its rate after being slowed down for this long is closed with 4429. */
  floodCloseMs: number;
  /** Bytes queued for sending to a socket above which it is closed (a client that does not read). */
  maxSendBufferBytes: number;
  /** Sockets are pinged this often; one silent for two intervals (no frame, no pong) is dropped. */
  heartbeatMs: number;
  /**
   * Open sockets one user may hold in one server process; more are refused with 4429, so a
   * runaway client cannot take every socket the process can hold.
   */
  maxConnectionsPerUser: number;
  /** Export workers rendering at once in this process; further exports wait for one. */
  exportConcurrency: number;
  /** Exports that may wait for a worker; beyond that an export is refused (503, Retry-After). */
  exportQueue: number;
  /** An export still rendering after this long has its worker ended and answers 504. */
  exportTimeoutMs: number;
  /** Heap (V8 old generation) of one export worker; an export that needs more answers 503. */
  exportMaxMemoryMb: number;
  /** Largest export file; a larger one answers 503 and never reaches the server's thread. */
  exportMaxBytes: number;
  /** An export worker with nothing to do ends after this long (0: after every export). */
  exportIdleMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 32 * 1024 * 1024,
  maxDocBytes: 256 * 1024 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxPendingBytes: 64 * 1024 * 1024,
  compactAfterUpdates: 1_000,
  compactQuietMs: 250,
  compactMaxWaitMs: 2_000,
  idleUnloadMs: 30_000,
  authTimeoutMs: 5_000,
  reauthIntervalMs: 60_000,
  messagesPerSecond: 2_000,
  messageBurst: 20_000,
  floodCloseMs: 30_000,
  maxSendBufferBytes: 512 * 1024 * 1024,
  heartbeatMs: 30_000,
  maxConnectionsPerUser: 500,
  exportConcurrency: 1,
  exportQueue: 8,
  exportTimeoutMs: 60_000,
  exportMaxMemoryMb: 256,
  exportMaxBytes: 64 * 1024 * 1024,
  exportIdleMs: 30_000,
};

export class ConfigError extends Error {}

type Flags = Record<string, string | boolean | undefined>;
type Env = Record<string, string | undefined>;

function pick(flags: Flags, env: Env, flag: string, envName: string): string | undefined {
  const value = flags[flag];
  if (typeof value === 'string') return value;
  return env[envName];
}

function integer(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function readServerConfig(flags: Flags, env: Env): ServerConfig {
  const durability = pick(flags, env, 'durability', 'RANDNOTER_DURABILITY') ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') throw new ConfigError('--durability must be normal or full');
  const logLevel = pick(flags, env, 'log-level', 'RANDNOTER_LOG_LEVEL') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError('--log-level must be debug, info, warn or error');
  const port = integer(pick(flags, env, 'port', 'RANDNOTER_PORT'), '--port', 8787);
  if (port > 65535) throw new ConfigError('--port must be at most 65535');
  const bootstrapUser = pick(flags, env, 'bootstrap-user', 'RANDNOTER_BOOTSTRAP_USER');
  const limits: Limits = {
    maxFrameBytes: integer(env.RANDNOTER_MAX_FRAME_BYTES, 'RANDNOTER_MAX_FRAME_BYTES', DEFAULT_LIMITS.maxFrameBytes, 1024),
    maxDocBytes: integer(env.RANDNOTER_MAX_DOC_BYTES, 'RANDNOTER_MAX_DOC_BYTES', DEFAULT_LIMITS.maxDocBytes, 1024),
    maxBodyBytes: integer(env.RANDNOTER_MAX_BODY_BYTES, 'RANDNOTER_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1024),
    maxPendingBytes: integer(env.RANDNOTER_MAX_PENDING_BYTES, 'RANDNOTER_MAX_PENDING_BYTES', DEFAULT_LIMITS.maxPendingBytes, 1024),
    compactAfterUpdates: integer(
      env.RANDNOTER_COMPACT_AFTER_UPDATES,
      'RANDNOTER_COMPACT_AFTER_UPDATES',
      DEFAULT_LIMITS.compactAfterUpdates,
      1,
    ),
    compactQuietMs: integer(env.RANDNOTER_COMPACT_QUIET_MS, 'RANDNOTER_COMPACT_QUIET_MS', DEFAULT_LIMITS.compactQuietMs, 0),
    compactMaxWaitMs: integer(env.RANDNOTER_COMPACT_MAX_WAIT_MS, 'RANDNOTER_COMPACT_MAX_WAIT_MS', DEFAULT_LIMITS.compactMaxWaitMs, 0),
    idleUnloadMs: integer(env.RANDNOTER_IDLE_UNLOAD_MS, 'RANDNOTER_IDLE_UNLOAD_MS', DEFAULT_LIMITS.idleUnloadMs, 0),
    authTimeoutMs: integer(env.RANDNOTER_AUTH_TIMEOUT_MS, 'RANDNOTER_AUTH_TIMEOUT_MS', DEFAULT_LIMITS.authTimeoutMs, 1),
    reauthIntervalMs: integer(env.RANDNOTER_REAUTH_INTERVAL_MS, 'RANDNOTER_REAUTH_INTERVAL_MS', DEFAULT_LIMITS.reauthIntervalMs, 10),
    messagesPerSecond: integer(env.RANDNOTER_MESSAGES_PER_SECOND, 'RANDNOTER_MESSAGES_PER_SECOND', DEFAULT_LIMITS.messagesPerSecond, 1),
    messageBurst: integer(env.RANDNOTER_MESSAGE_BURST, 'RANDNOTER_MESSAGE_BURST', DEFAULT_LIMITS.messageBurst, 1),
    floodCloseMs: integer(env.RANDNOTER_FLOOD_CLOSE_MS, 'RANDNOTER_FLOOD_CLOSE_MS', DEFAULT_LIMITS.floodCloseMs, 0),
    maxSendBufferBytes: integer(
      env.RANDNOTER_MAX_SEND_BUFFER_BYTES,
      'RANDNOTER_MAX_SEND_BUFFER_BYTES',
      DEFAULT_LIMITS.maxSendBufferBytes,
      1024,
    ),
    heartbeatMs: integer(env.RANDNOTER_HEARTBEAT_MS, 'RANDNOTER_HEARTBEAT_MS', DEFAULT_LIMITS.heartbeatMs, 10),
    maxConnectionsPerUser: integer(
      env.RANDNOTER_MAX_CONNECTIONS_PER_USER,
      'RANDNOTER_MAX_CONNECTIONS_PER_USER',
      DEFAULT_LIMITS.maxConnectionsPerUser,
      1,
    ),
    exportConcurrency: integer(env.RANDNOTER_EXPORT_CONCURRENCY, 'RANDNOTER_EXPORT_CONCURRENCY', DEFAULT_LIMITS.exportConcurrency, 1),
    exportQueue: integer(env.RANDNOTER_EXPORT_QUEUE, 'RANDNOTER_EXPORT_QUEUE', DEFAULT_LIMITS.exportQueue, 0),
    exportTimeoutMs: integer(env.RANDNOTER_EXPORT_TIMEOUT_MS, 'RANDNOTER_EXPORT_TIMEOUT_MS', DEFAULT_LIMITS.exportTimeoutMs, 100),
    exportMaxMemoryMb: integer(env.RANDNOTER_EXPORT_MAX_MEMORY_MB, 'RANDNOTER_EXPORT_MAX_MEMORY_MB', DEFAULT_LIMITS.exportMaxMemoryMb, 16),
    exportMaxBytes: integer(env.RANDNOTER_EXPORT_MAX_BYTES, 'RANDNOTER_EXPORT_MAX_BYTES', DEFAULT_LIMITS.exportMaxBytes, 1024),
    exportIdleMs: integer(env.RANDNOTER_EXPORT_IDLE_MS, 'RANDNOTER_EXPORT_IDLE_MS', DEFAULT_LIMITS.exportIdleMs, 0),
  };
  const config: ServerConfig = {
    host: pick(flags, env, 'host', 'RANDNOTER_HOST') ?? '127.0.0.1',
    port,
    database: databaseOf(flags, env, durability as Durability),
    redisPrefix: env.RANDNOTER_REDIS_PREFIX ?? 'randnoter:',
    logLevel: logLevel as Level,
    limits,
  };
  const redisUrl = pick(flags, env, 'redis', 'REDIS_URL');
  if (redisUrl) {
    if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('--redis must be a redis:// or rediss:// URL');
    if (config.database.kind !== 'postgres')
      throw new ConfigError('--redis shares rooms between processes that share a PostgreSQL database: give --database postgres://… too');
    config.redisUrl = redisUrl;
  }
  const demoDir = pick(flags, env, 'demo', 'RANDNOTER_DEMO_DIR');
  if (demoDir) config.demoDir = demoDir;
  if (bootstrapUser)
    config.bootstrap = { userName: bootstrapUser, groupId: pick(flags, env, 'bootstrap-group', 'RANDNOTER_BOOTSTRAP_GROUP') ?? 'demo' };
  const extensionDir = pick(flags, env, 'extension', 'RANDNOTER_EXTENSION_DIR');
  if (extensionDir) config.extensionDir = extensionDir;
  return config;
}

/** `postgres://` and `postgresql://` URLs name a PostgreSQL database; anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * `--database` (or DATABASE_URL) takes a PostgreSQL URL or a SQLite file; `--db` (or RANDNOTER_DB)
 * a SQLite file as before. Without any, the SQLite default.
 */
export function databaseOf(flags: Flags, env: Env, durability: Durability = 'normal'): DatabaseConfig {
  const location =
    (typeof flags.database === 'string' ? flags.database : undefined) ??
    (typeof flags.db === 'string' ? flags.db : undefined) ??
    env.DATABASE_URL ??
    env.RANDNOTER_DB ??
    './data/randnoter.sqlite';
  if (!isPostgresUrl(location)) return { kind: 'sqlite', path: location, durability };
  return { kind: 'postgres', url: location, poolSize: integer(env.RANDNOTER_PG_POOL_SIZE, 'RANDNOTER_PG_POOL_SIZE', 10, 1) };
}
