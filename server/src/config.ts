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
  /** Sign-in through the organisation's OpenID Connect provider; none when not configured. */
  oidc?: OidcConfig;
  /** How long packets' rooms are kept (docs/OPERATIONS.md, "Retention"); absent: kept. */
  retention?: RetentionConfig;
  /** E-mail about unread notifications over SMTP (docs/NOTIFICATIONS.md); none when not configured. */
  mail?: MailConfig;
  limits: Limits;
}

/** Retention of packets' rooms: removed `days` after the packet's meeting date. */
export interface RetentionConfig {
  /** `RANDNOTER_RETENTION_DAYS`; null (the default): kept until removed otherwise. A group's own setting wins. */
  days: number | null;
}

/** E-mail of unread notifications (docs/OPERATIONS.md, "E-mail"). */
export interface MailConfig {
  /** `smtp://user:password@host:port` or `smtps://…` (TLS from the start). */
  smtpUrl: string;
  /** The sender, `Randnoter <randnoter@kommune.dk>`. */
  from: string;
  /** Where people reach the server, for the unsubscribe links; no trailing slash. */
  publicUrl: string;
  /** A notification is mailed only when still unread this long after it was made. */
  delayMinutes: number;
  /** The day-before-the-meeting digest goes from this hour (0-23) on, in `timeZone`. */
  digestHour: number;
  /** The time zone of meeting dates and the digest hour (IANA name). */
  timeZone: string;
}

/** The server as a confidential OpenID Connect client (docs/OPERATIONS.md, "Sign-in"). */
export interface OidcConfig {
  /** The provider's issuer identifier (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token claim that lists the user's groups. */
  groupsClaim: string;
  /** The ID token claim that names the user at the provider (`sub`; Entra ID: `oid`). */
  subjectClaim: string;
  /** The scopes asked for, space-separated; always with `openid`. */
  scopes: string;
  /** Where browsers reach this server, without a trailing slash; the callback is `<publicUrl>/auth/oidc/callback`. */
  publicUrl: string;
  /** The exact redirect URIs a sign-in may return to (the extensions' `identity` redirect URLs). */
  redirects: string[];
}

export interface Limits {
  /** Largest WebSocket frame; larger frames close the socket with 1009. */
  maxFrameBytes: number;
  /** Largest frame from a socket that has not authenticated yet (the auth message, a sync step 1). */
  maxUnauthenticatedFrameBytes: number;
  /** Sockets that have not authenticated yet, in all; upgrades past it get 503. */
  maxUnauthenticated: number;
  /** ...and from one remote address. */
  maxUnauthenticatedPerAddress: number;
  /** Stored size at which a document refuses further writes (close 4413 / HTTP 413). */
  maxDocBytes: number;
  /** The same for a group's shared room, written by many: well under what a y-websocket client takes (100 MiB). */
  maxSharedDocBytes: number;
  /** Live comments and replies one member may have in one shared room... */
  sharedAuthorMaxComments: number;
  /** ...and characters of them (body, quote, tags), so one member cannot fill a room the group shares. */
  sharedAuthorMaxChars: number;
  /** Agenda corrections one member may send to one shared room per hour, after a burst... */
  agendaCorrectionsPerHour: number;
  /** ...of this many: each replaces the last, but stays in the room's log until it is folded. */
  agendaCorrectionBurst: number;
  /** Requests one user may make of /api per second, steadily (RANDNOTER_API_REQUESTS_PER_SECOND); 429 past it. */
  apiRequestsPerSecond: number;
  /** Requests one user may make at once before the steady rate applies (RANDNOTER_API_REQUEST_BURST). */
  apiRequestBurst: number;
  /** Bytes one user's private notes rooms may store in all, across every packet. */
  userMaxStoredBytes: number;
  /** /health answers 503 when the database's disk has less free space than this (SQLite). */
  minFreeDiskBytes: number;
  /** Presence states of one room together (JSON characters); an update past it is dropped. */
  maxPresenceBytes: number;
  /** Structures (items, deletions' runs) one Yjs update may hold; more close the socket with 4413. */
  maxUpdateStructs: number;
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
  /**
   * How often sockets on closed items' rooms re-check that their user may still read the item
   * (closed access revoked, excluded, item opened): the bound on how long a revocation made
   * elsewhere (the command line, another server process) takes to close them.
   */
  closedAccessRecheckMs: number;
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
  /** Bytes per second the server sends at one user's request (sync answers, presence), after a burst... */
  userSendBytesPerSecond: number;
  /** ...of this many bytes; past it the user's requests wait. */
  userSendBurstBytes: number;
  /** Bytes waiting to be sent to one user's sockets, in all; past it the fullest is closed with 4429. */
  maxUserUnsentBytes: number;
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
  /** Lifetime of an access token issued at sign-in or refresh. */
  oidcAccessTokenSeconds: number;
  /** A refresh token not used for this long is refused (each refresh issues a new one). */
  oidcRefreshIdleSeconds: number;
  /** A sign-in ends this long after it began, refreshed or not: then the user signs in again and their groups are synced. */
  oidcSessionSeconds: number;
  /** How long a sign-in begun at /auth/oidc/start may take at the provider. */
  oidcPendingSeconds: number;
  /** Sign-ins (refresh-token families) one user may hold; a new one ends the oldest past this. */
  oidcMaxSessionsPerUser: number;
  /** Requests to /auth/* one remote address may make per minute, after a burst... */
  signInRequestsPerMinute: number;
  /** ...of this many. */
  signInBurst: number;
  /** Remote addresses whose /auth/* request rate is tracked at once; past it /auth/* answers 503. */
  signInMaxAddresses: number;
  /** How often a server looks for users' erasures whose grace period has ended (docs/OPERATIONS.md, "Erasure"). */
  erasureCheckMs: number;
  /** How often a server removes what is past retention (daily; docs/OPERATIONS.md, "Retention"). */
  retentionRunMs: number;
  /** Days an access-log entry is kept; older ones are removed daily (docs/OPERATIONS.md, "Access log"). */
  accessLogDays: number;
  /** A user's opening of a room is not recorded again within this long of the last one recorded. */
  accessLogCoalesceMs: number;
  /** How often waiting access-log entries are written. */
  accessLogFlushMs: number;
  /** Access-log entries that may wait for a write; past it new ones are dropped (and the drop logged). */
  accessLogMaxPending: number;
  /** Notifications one user keeps; past it the oldest go (docs/NOTIFICATIONS.md). */
  notificationsKeptPerUser: number;
  /** Notifications one GET /api/notifications answers with (older ones: `?before=`). */
  notificationPageSize: number;
  /** How often the mailer looks for unread notifications, due digests and e-mails to retry. */
  mailIntervalMs: number;
  /** After a failed send the e-mail waits this long, doubling with each failure... */
  mailRetryMs: number;
  /** ...up to this long; it is never given up. */
  mailRetryMaxMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 32 * 1024 * 1024,
  maxUnauthenticatedFrameBytes: 64 * 1024,
  maxUnauthenticated: 1024,
  maxUnauthenticatedPerAddress: 64,
  maxDocBytes: 64 * 1024 * 1024,
  maxSharedDocBytes: 16 * 1024 * 1024,
  sharedAuthorMaxComments: 2_000,
  sharedAuthorMaxChars: 1_000_000,
  agendaCorrectionsPerHour: 30,
  agendaCorrectionBurst: 10,
  apiRequestsPerSecond: 50,
  apiRequestBurst: 500,
  userMaxStoredBytes: 256 * 1024 * 1024,
  minFreeDiskBytes: 256 * 1024 * 1024,
  maxPresenceBytes: 256 * 1024,
  maxUpdateStructs: 250_000,
  maxBodyBytes: 1024 * 1024,
  maxPendingBytes: 64 * 1024 * 1024,
  compactAfterUpdates: 1_000,
  compactQuietMs: 250,
  compactMaxWaitMs: 2_000,
  idleUnloadMs: 30_000,
  authTimeoutMs: 5_000,
  reauthIntervalMs: 60_000,
  closedAccessRecheckMs: 500,
  messagesPerSecond: 2_000,
  messageBurst: 20_000,
  floodCloseMs: 30_000,
  maxSendBufferBytes: 96 * 1024 * 1024,
  heartbeatMs: 30_000,
  maxConnectionsPerUser: 500,
  userSendBytesPerSecond: 32 * 1024 * 1024,
  userSendBurstBytes: 128 * 1024 * 1024,
  maxUserUnsentBytes: 256 * 1024 * 1024,
  exportConcurrency: 1,
  exportQueue: 8,
  exportTimeoutMs: 60_000,
  exportMaxMemoryMb: 256,
  exportMaxBytes: 64 * 1024 * 1024,
  exportIdleMs: 30_000,
  oidcAccessTokenSeconds: 600,
  oidcRefreshIdleSeconds: 7 * 24 * 3600,
  oidcSessionSeconds: 30 * 24 * 3600,
  oidcPendingSeconds: 600,
  oidcMaxSessionsPerUser: 20,
  signInRequestsPerMinute: 60,
  signInBurst: 30,
  signInMaxAddresses: 10_000,
  erasureCheckMs: 60_000,
  retentionRunMs: 24 * 3600 * 1000,
  accessLogDays: 180,
  accessLogCoalesceMs: 10 * 60_000,
  accessLogFlushMs: 5_000,
  accessLogMaxPending: 100_000,
  notificationsKeptPerUser: 1_000,
  notificationPageSize: 50,
  mailIntervalMs: 60_000,
  mailRetryMs: 60_000,
  mailRetryMaxMs: 3_600_000,
};

/** Where each limit is read from, and its least sensible value. */
const LIMIT_SETTINGS: { readonly [K in keyof Limits]: { env: string; min: number } } = {
  maxFrameBytes: { env: 'RANDNOTER_MAX_FRAME_BYTES', min: 1024 },
  maxUnauthenticatedFrameBytes: { env: 'RANDNOTER_MAX_UNAUTHENTICATED_FRAME_BYTES', min: 1024 },
  maxUnauthenticated: { env: 'RANDNOTER_MAX_UNAUTHENTICATED', min: 1 },
  maxUnauthenticatedPerAddress: { env: 'RANDNOTER_MAX_UNAUTHENTICATED_PER_ADDRESS', min: 1 },
  maxDocBytes: { env: 'RANDNOTER_MAX_DOC_BYTES', min: 1024 },
  maxSharedDocBytes: { env: 'RANDNOTER_MAX_SHARED_DOC_BYTES', min: 1024 },
  sharedAuthorMaxComments: { env: 'RANDNOTER_SHARED_AUTHOR_MAX_COMMENTS', min: 1 },
  sharedAuthorMaxChars: { env: 'RANDNOTER_SHARED_AUTHOR_MAX_CHARS', min: 1000 },
  agendaCorrectionsPerHour: { env: 'RANDNOTER_AGENDA_CORRECTIONS_PER_HOUR', min: 1 },
  agendaCorrectionBurst: { env: 'RANDNOTER_AGENDA_CORRECTION_BURST', min: 1 },
  apiRequestsPerSecond: { env: 'RANDNOTER_API_REQUESTS_PER_SECOND', min: 1 },
  apiRequestBurst: { env: 'RANDNOTER_API_REQUEST_BURST', min: 1 },
  userMaxStoredBytes: { env: 'RANDNOTER_USER_MAX_STORED_BYTES', min: 1024 },
  minFreeDiskBytes: { env: 'RANDNOTER_MIN_FREE_DISK_BYTES', min: 0 },
  maxPresenceBytes: { env: 'RANDNOTER_MAX_PRESENCE_BYTES', min: 1024 },
  maxUpdateStructs: { env: 'RANDNOTER_MAX_UPDATE_STRUCTS', min: 1000 },
  maxBodyBytes: { env: 'RANDNOTER_MAX_BODY_BYTES', min: 1024 },
  maxPendingBytes: { env: 'RANDNOTER_MAX_PENDING_BYTES', min: 1024 },
  compactAfterUpdates: { env: 'RANDNOTER_COMPACT_AFTER_UPDATES', min: 1 },
  compactQuietMs: { env: 'RANDNOTER_COMPACT_QUIET_MS', min: 0 },
  compactMaxWaitMs: { env: 'RANDNOTER_COMPACT_MAX_WAIT_MS', min: 0 },
  idleUnloadMs: { env: 'RANDNOTER_IDLE_UNLOAD_MS', min: 0 },
  authTimeoutMs: { env: 'RANDNOTER_AUTH_TIMEOUT_MS', min: 1 },
  reauthIntervalMs: { env: 'RANDNOTER_REAUTH_INTERVAL_MS', min: 10 },
  closedAccessRecheckMs: { env: 'RANDNOTER_CLOSED_ACCESS_RECHECK_MS', min: 10 },
  messagesPerSecond: { env: 'RANDNOTER_MESSAGES_PER_SECOND', min: 1 },
  messageBurst: { env: 'RANDNOTER_MESSAGE_BURST', min: 1 },
  floodCloseMs: { env: 'RANDNOTER_FLOOD_CLOSE_MS', min: 0 },
  maxSendBufferBytes: { env: 'RANDNOTER_MAX_SEND_BUFFER_BYTES', min: 1024 },
  heartbeatMs: { env: 'RANDNOTER_HEARTBEAT_MS', min: 10 },
  maxConnectionsPerUser: { env: 'RANDNOTER_MAX_CONNECTIONS_PER_USER', min: 1 },
  userSendBytesPerSecond: { env: 'RANDNOTER_USER_SEND_BYTES_PER_SECOND', min: 1024 },
  userSendBurstBytes: { env: 'RANDNOTER_USER_SEND_BURST_BYTES', min: 1024 },
  maxUserUnsentBytes: { env: 'RANDNOTER_MAX_USER_UNSENT_BYTES', min: 1024 },
  exportConcurrency: { env: 'RANDNOTER_EXPORT_CONCURRENCY', min: 1 },
  exportQueue: { env: 'RANDNOTER_EXPORT_QUEUE', min: 0 },
  exportTimeoutMs: { env: 'RANDNOTER_EXPORT_TIMEOUT_MS', min: 100 },
  exportMaxMemoryMb: { env: 'RANDNOTER_EXPORT_MAX_MEMORY_MB', min: 16 },
  exportMaxBytes: { env: 'RANDNOTER_EXPORT_MAX_BYTES', min: 1024 },
  exportIdleMs: { env: 'RANDNOTER_EXPORT_IDLE_MS', min: 0 },
  oidcAccessTokenSeconds: { env: 'RANDNOTER_OIDC_ACCESS_TOKEN_SECONDS', min: 30 },
  oidcRefreshIdleSeconds: { env: 'RANDNOTER_OIDC_REFRESH_IDLE_SECONDS', min: 60 },
  oidcSessionSeconds: { env: 'RANDNOTER_OIDC_SESSION_SECONDS', min: 60 },
  oidcPendingSeconds: { env: 'RANDNOTER_OIDC_PENDING_SECONDS', min: 30 },
  oidcMaxSessionsPerUser: { env: 'RANDNOTER_OIDC_MAX_SESSIONS_PER_USER', min: 1 },
  signInRequestsPerMinute: { env: 'RANDNOTER_SIGNIN_REQUESTS_PER_MINUTE', min: 1 },
  signInBurst: { env: 'RANDNOTER_SIGNIN_BURST', min: 1 },
  signInMaxAddresses: { env: 'RANDNOTER_SIGNIN_MAX_ADDRESSES', min: 1 },
  erasureCheckMs: { env: 'RANDNOTER_ERASURE_CHECK_MS', min: 10 },
  retentionRunMs: { env: 'RANDNOTER_RETENTION_RUN_MS', min: 1000 },
  accessLogDays: { env: 'RANDNOTER_ACCESS_LOG_DAYS', min: 1 },
  accessLogCoalesceMs: { env: 'RANDNOTER_ACCESS_LOG_COALESCE_MS', min: 0 },
  accessLogFlushMs: { env: 'RANDNOTER_ACCESS_LOG_FLUSH_MS', min: 10 },
  accessLogMaxPending: { env: 'RANDNOTER_ACCESS_LOG_MAX_PENDING', min: 1 },
  notificationsKeptPerUser: { env: 'RANDNOTER_NOTIFICATIONS_KEPT_PER_USER', min: 10 },
  notificationPageSize: { env: 'RANDNOTER_NOTIFICATION_PAGE_SIZE', min: 1 },
  mailIntervalMs: { env: 'RANDNOTER_MAIL_INTERVAL_MS', min: 10 },
  mailRetryMs: { env: 'RANDNOTER_MAIL_RETRY_MS', min: 10 },
  mailRetryMaxMs: { env: 'RANDNOTER_MAIL_RETRY_MAX_MS', min: 10 },
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
  const limits = Object.fromEntries(
    Object.entries(LIMIT_SETTINGS).map(([key, setting]) => [
      key,
      integer(env[setting.env], setting.env, DEFAULT_LIMITS[key as keyof Limits], setting.min),
    ]),
  ) as unknown as Limits;
  const config: ServerConfig = {
    host: pick(flags, env, 'host', 'RANDNOTER_HOST') ?? '127.0.0.1',
    port,
    database: databaseOf(flags, env, durability as Durability),
    redisPrefix: env.RANDNOTER_REDIS_PREFIX ?? 'randnoter:',
    logLevel: logLevel as Level,
    retention: retentionOf(env),
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
  const oidc = oidcOf(flags, env);
  if (oidc) config.oidc = oidc;
  const mail = mailOf(flags, env);
  if (mail) config.mail = mail;
  return config;
}

/** `RANDNOTER_RETENTION_DAYS`: whole days, at least 1; unset or empty keeps everything. */
export function retentionOf(env: Env): RetentionConfig {
  const value = env.RANDNOTER_RETENTION_DAYS?.trim();
  if (!value) return { days: null };
  return { days: integer(value, 'RANDNOTER_RETENTION_DAYS', 0, 1) };
}

/**
 * E-mail settings: RANDNOTER_SMTP_URL turns e-mail on and then needs a sender and the public
 * URL (for the unsubscribe links). The URL may hold the SMTP password: environment only.
 */
function mailOf(flags: Flags, env: Env): MailConfig | undefined {
  const smtpUrl = env.RANDNOTER_SMTP_URL || undefined;
  if (!smtpUrl) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(smtpUrl);
  } catch {
    throw new ConfigError('RANDNOTER_SMTP_URL must be an smtp:// or smtps:// URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new ConfigError('RANDNOTER_SMTP_URL must be an smtp:// or smtps:// URL');
  const from = env.RANDNOTER_SMTP_FROM;
  if (!from || /[\r\n]/.test(from))
    throw new ConfigError('e-mail over RANDNOTER_SMTP_URL also needs RANDNOTER_SMTP_FROM, the sender (one line)');
  const publicUrl = pick(flags, env, 'public-url', 'RANDNOTER_PUBLIC_URL');
  if (!publicUrl) throw new ConfigError('e-mail over RANDNOTER_SMTP_URL also needs --public-url (RANDNOTER_PUBLIC_URL) for its links');
  const digestHour = integer(env.RANDNOTER_MAIL_DIGEST_HOUR, 'RANDNOTER_MAIL_DIGEST_HOUR', 16);
  if (digestHour > 23) throw new ConfigError('RANDNOTER_MAIL_DIGEST_HOUR must be an hour from 0 to 23');
  const timeZone = env.RANDNOTER_TIMEZONE ?? 'Europe/Copenhagen';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`RANDNOTER_TIMEZONE must be a time zone such as Europe/Copenhagen, got "${timeZone}"`);
  }
  return {
    smtpUrl,
    from,
    publicUrl: secureUrl(publicUrl, 'RANDNOTER_PUBLIC_URL').href.replace(/\/+$/, ''),
    delayMinutes: integer(env.RANDNOTER_MAIL_DELAY_MINUTES, 'RANDNOTER_MAIL_DELAY_MINUTES', 15),
    digestHour,
    timeZone,
  };
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts an `http://` issuer, public URL or redirect may name. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** An absolute https URL (http only on a loopback host) without credentials or fragment; else a ConfigError naming `what`. */
function secureUrl(value: string, what: string, { query = false } = {}): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} must be an absolute URL, got "${value}"`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new ConfigError(`${what} must be an https:// URL (http:// only on a loopback address), got "${value}"`);
  if (url.username || url.password || url.hash || (!query && url.search))
    throw new ConfigError(`${what} must not carry credentials, a query or a fragment`);
  return url;
}

function scopesOf(value: string): string {
  const scopes = value.split(/\s+/).filter((s) => s.length > 0);
  if (!scopes.includes('openid') || scopes.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)))
    throw new ConfigError(`RANDNOTER_OIDC_SCOPES must be scope names separated by spaces, openid among them, got "${value}"`);
  return scopes.join(' ');
}

const OIDC_SETTINGS = [
  ['oidc-issuer', 'RANDNOTER_OIDC_ISSUER'],
  ['oidc-client-id', 'RANDNOTER_OIDC_CLIENT_ID'],
  [null, 'RANDNOTER_OIDC_CLIENT_SECRET'],
  ['public-url', 'RANDNOTER_PUBLIC_URL'],
  ['oidc-redirects', 'RANDNOTER_OIDC_REDIRECTS'],
] as const;

/**
 * Sign-in settings: none of them (the public URL aside), or all five. The client secret is read from the environment
 * only: a flag would show in every `ps` listing.
 */
function oidcOf(flags: Flags, env: Env): OidcConfig | undefined {
  const read = (flag: string | null, envName: string) => (flag === null ? env[envName] : pick(flags, env, flag, envName)) || undefined;
  const values = OIDC_SETTINGS.map(([flag, envName]) => read(flag, envName));
  // The public URL alone does not ask for sign-in: e-mail's links use it too.
  if (values.every((v, i) => v === undefined || OIDC_SETTINGS[i]?.[1] === 'RANDNOTER_PUBLIC_URL')) return undefined;
  const missing = OIDC_SETTINGS.filter((_, i) => values[i] === undefined).map(([flag, envName]) =>
    flag ? `--${flag} (${envName})` : envName,
  );
  if (missing.length > 0) throw new ConfigError(`sign-in through OpenID Connect also needs ${missing.join(', ')}`);
  const [issuer, clientId, clientSecret, publicUrl, redirects] = values as string[];
  secureUrl(issuer as string, 'RANDNOTER_OIDC_ISSUER');
  const redirectList = (redirects as string)
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  if (redirectList.length === 0) throw new ConfigError('RANDNOTER_OIDC_REDIRECTS must list at least one redirect URI');
  // Matched exactly as given: a query is allowed (it is part of the URI), a fragment never.
  for (const r of redirectList) secureUrl(r, `the redirect URI "${r}" in RANDNOTER_OIDC_REDIRECTS`, { query: true });
  const claim = (flag: string, envName: string, fallback: string) => {
    const value = pick(flags, env, flag, envName) ?? fallback;
    if (!/^[\w.:-]{1,128}$/.test(value)) throw new ConfigError(`${envName} must be a claim name, got "${value}"`);
    return value;
  };
  return {
    issuer: issuer as string,
    clientId: clientId as string,
    clientSecret: clientSecret as string,
    groupsClaim: claim('oidc-groups-claim', 'RANDNOTER_OIDC_GROUPS_CLAIM', 'groups'),
    subjectClaim: claim('oidc-subject-claim', 'RANDNOTER_OIDC_SUBJECT_CLAIM', 'sub'),
    scopes: scopesOf(pick(flags, env, 'oidc-scopes', 'RANDNOTER_OIDC_SCOPES') ?? 'openid profile email'),
    publicUrl: secureUrl(publicUrl as string, 'RANDNOTER_PUBLIC_URL').href.replace(/\/+$/, ''),
    redirects: redirectList,
  };
}

/** `postgres://` and `postgresql://` URLs name a PostgreSQL database; anything else is a SQLite file. */
function isPostgresUrl(location: string): boolean {
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
