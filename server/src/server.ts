/**
 * Builds a running server from a config: db → migrate → rooms → app → listen. `main.ts` and the
 * integration tests both use it; `close()` is the graceful shutdown (stop accepting, tell
 * clients to go away, flush every queued write, compact, close the database).
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createAdaptorServer } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { AccessLogPruner } from './access-log/access-log-pruner.ts';
import { AccessLogWriter } from './access-log/access-log-writer.ts';
import { watchAdminRequests } from './admin/room-requests.ts';
import { createApp } from './app.ts';
import { signInChecker, tokenAuthenticator } from './auth/authenticate.ts';
import { ClosedItemIndex } from './closed-items/closed-item-index.ts';
import type { ServerConfig } from './config.ts';
import { eraseDue } from './erasure/due-erasures.ts';
import { oneAtATime } from './erasure/erase-user.ts';
import { periodicJob } from './erasure/periodic-job.ts';
import { ExportPool } from './export/export-pool.ts';
import type { Fanout, InboxFanout, InboxLine } from './fanout/fanout.ts';
import { connectRedisFanout } from './fanout/redis-fanout.ts';
import type { Logger } from './log.ts';
import { Mailer } from './mail/mailer.ts';
import type { MailTransport } from './mail/smtp-transport.ts';
import { Metrics } from './metrics.ts';
import { Notifier } from './notifications/notifier.ts';
import { runRetention } from './retention/run-retention.ts';
import { insertAccessEntries, pruneAccessLog } from './storage/access-log.ts';
import { allClosedItems, mayReadClosed } from './storage/closed-items.ts';
import { CommitQueue } from './storage/commit-queue.ts';
import { describeDatabase, openDatabase } from './storage/database.ts';
import { diskSpaceOf } from './storage/disk-space.ts';
import type { DocStore } from './storage/doc-store.ts';
import { migrateToLatest } from './storage/migrate.ts';
import { forRecipient, recordOpen } from './storage/notifications.ts';
import type { Database } from './storage/schema.ts';
import { isMember } from './storage/users.ts';
import { type Clock, realClock } from './sync/clock.ts';
import { Rooms } from './sync/rooms.ts';
import { attachSyncEndpoint } from './sync/sync-endpoint.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: Kysely<Database>;
  docs: DocStore;
  rooms: Rooms;
  metrics: Metrics;
  /** The access log's writer and its pruning (docs/OPERATIONS.md, "Access log"). */
  accessLog: { writer: AccessLogWriter; pruner: AccessLogPruner };
  /** Resolves when the mailer's run under way (if any) is over; at once without e-mail. */
  mailSettled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `clock`: the time of tokens, comments and notifications; `timers`: what the periodic jobs (due
 * erasures, retention, the mailer) wait with (tests pass a clock of their own for both).
 */
export async function startServer(
  config: ServerConfig,
  log: Logger,
  clock: () => Date = () => new Date(),
  timers: Clock = realClock,
): Promise<RunningServer> {
  const database = openDatabase(config.database, {
    clock,
    onIdleError: (error) => log.warn('idle database connection lost', { error: error.message }),
    serving: { log },
  });
  const { db, docs } = database;
  let fanout: (Fanout & InboxFanout) | null = null;
  let inbox: InboxLine | null = null;
  // Until the sockets are attached, nobody is there to hear a notification.
  let toSockets = (_userId: string, _json: string): void => {};
  try {
    // Concurrent starts against one PostgreSQL are fine: kysely's migrator takes a lock.
    await migrateToLatest(db as Kysely<unknown>);
    if (config.redisUrl) fanout = await connectRedisFanout({ url: config.redisUrl, prefix: config.redisPrefix, log });
    // Notifications stored by another process reach this one's sockets (docs/NOTIFICATIONS.md).
    if (fanout) inbox = await fanout.inbox((userId, json) => toSockets(userId, json));
  } catch (error) {
    await database.close();
    throw error;
  }
  const metrics = new Metrics();
  const commits = new CommitQueue(
    (rows) => docs.append(rows),
    (ms, rows) => metrics.recordCommit(ms, rows),
  );
  // Presence in a group's open room must not say who reads a closed item: which items are closed, at hand.
  const closedItems = new ClosedItemIndex(() => allClosedItems(db), log);
  try {
    await closedItems.start(config.limits.closedAccessRecheckMs);
  } catch (error) {
    await fanout?.close();
    await database.close();
    throw error;
  }
  const rooms = new Rooms({
    storage: {
      load: (room, after) => docs.load(room, after),
      append: (rows) => commits.append(rows),
      appendExclusive: (room, after, build) => docs.appendExclusive(room, after, build),
      compact: (room, s, seq) => docs.compact(room, s, seq),
      storedBytes: (prefix) => docs.storedBytes(prefix),
      rewrite: (names, build, alongside) => docs.rewrite(names, build, alongside),
    },
    userStorageQuota: config.limits.userMaxStoredBytes,
    fanout,
    heads: (names) => docs.heads(names),
    limits: config.limits,
    log,
    idleUnloadMs: config.limits.idleUnloadMs,
    redactPresence: (name) => closedItems.redactorFor(name),
  });
  // Off the hot path: sockets and requests hand entries over, a timer writes them in batches.
  const accessLog = new AccessLogWriter({
    write: (entries) => insertAccessEntries(db, entries),
    clock,
    log,
    coalesceMs: config.limits.accessLogCoalesceMs,
    flushMs: config.limits.accessLogFlushMs,
    maxPending: config.limits.accessLogMaxPending,
  });
  const accessLogPruner = new AccessLogPruner({
    prune: (before) => pruneAccessLog(db, before),
    days: config.limits.accessLogDays,
    clock,
    log,
  });
  const authenticate = tokenAuthenticator(db, clock);
  const notifier = new Notifier({
    db,
    log,
    clock,
    keepPerUser: config.limits.notificationsKeptPerUser,
    deliver: (notification) => {
      const json = JSON.stringify(forRecipient(notification));
      toSockets(notification.recipientId, json);
      inbox?.publish(notification.recipientId, json);
    },
  });
  let unsubscribeKey: Promise<string> | null = null;
  const readUnsubscribeKey = async () =>
    (await db.selectFrom('server_secrets').select('value').where('name', '=', 'unsubscribe').executeTakeFirstOrThrow()).value;
  // Sign-in's code (openid-client) is loaded only where it is configured.
  const signIn = config.oidc
    ? (await import('./auth/oidc/sign-in-routes.ts')).signInRoutes({
        db,
        log,
        clock,
        config: config.oidc,
        limits: config.limits,
        provider: (await import('./auth/oidc/provider-client.ts')).openIdProvider(config.oidc),
        closeGroupSockets: (userId, groupIds) => sync.closeGroupSockets(userId, groupIds),
      })
    : undefined;
  const diskFree = diskSpaceOf(config.database);
  // No thread yet: the first export starts one (docs/EXPORT.md, "Limits").
  const exports = new ExportPool({
    limits: {
      concurrency: config.limits.exportConcurrency,
      queue: config.limits.exportQueue,
      timeoutMs: config.limits.exportTimeoutMs,
      maxMemoryMb: config.limits.exportMaxMemoryMb,
      maxBytes: config.limits.exportMaxBytes,
      idleMs: config.limits.exportIdleMs,
    },
    events: {
      running: (delta) => (delta > 0 ? metrics.exportsRunning.inc() : metrics.exportsRunning.dec()),
      waiting: (delta) => (delta > 0 ? metrics.exportsWaiting.inc() : metrics.exportsWaiting.dec()),
      refused: (reason) => metrics.recordExportRefusal(reason),
    },
  });
  const app = createApp({
    db,
    docs,
    rooms,
    authenticate,
    log,
    metrics,
    clock,
    exports,
    ownData: { concurrency: config.limits.exportConcurrency, maxMemoryMb: config.limits.exportMaxMemoryMb },
    maxBodyBytes: config.limits.maxBodyBytes,
    ...(diskFree ? { disk: { free: diskFree, minFree: config.limits.minFreeDiskBytes } } : {}),
    sharedAuthorQuota: { maxComments: config.limits.sharedAuthorMaxComments, maxChars: config.limits.sharedAuthorMaxChars },
    agendaCorrectionRate: { perSecond: config.limits.agendaCorrectionsPerHour / 3600, burst: config.limits.agendaCorrectionBurst },
    apiRequestRate: { perSecond: config.limits.apiRequestsPerSecond, burst: config.limits.apiRequestBurst },
    access: accessLog,
    closedAccessChanged: async () => {
      await closedItems.refresh();
      await sync.recheckClosedAccess();
    },
    notifier,
    notifications: {
      pageSize: config.limits.notificationPageSize,
      unsubscribeKey: () => (unsubscribeKey ??= readUnsubscribeKey()),
    },
    ...(config.demoDir ? { demoDir: config.demoDir } : {}),
    ...(signIn ? { signIn } : {}),
  });
  const http = createAdaptorServer({ fetch: app.fetch }) as Server;
  const sync = attachSyncEndpoint(http, {
    rooms,
    log,
    metrics,
    authenticate,
    recheck: signInChecker(db, clock),
    isMember: (groupId, userId) => isMember(db, groupId, userId),
    mayReadClosed: (ref, userId) => mayReadClosed(db, ref, userId),
    access: accessLog,
    limits: config.limits,
    openedPacket: (userId, groupId, packetId) => {
      recordOpen(db, userId, groupId, packetId, clock().toISOString()).catch((error: unknown) =>
        log.warn('could not record an opened packet', { error: String(error) }),
      );
    },
  });
  toSockets = (userId, json) => sync.notify(userId, json);
  // Slow or idle clients must not hold sockets open before they even send a request.
  http.headersTimeout = 10_000;
  http.requestTimeout = 60_000;

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // e.g. the port is taken: release what was built before failing.
    sync.close();
    closedItems.destroy();
    await exports.destroy();
    await rooms.destroy();
    await accessLog.close();
    await fanout?.close();
    await database.close();
    throw error;
  }
  accessLogPruner.start();
  const retention = { days: config.retention?.days ?? null };
  const erasure = { serially: oneAtATime(), db, docs, rooms, purgeDeleted: database.purgeDeleted, clock, log };
  const adminRequests = watchAdminRequests({
    deps: erasure,
    db,
    log,
    claimer: `server ${process.pid}@${hostname()}`,
    clock,
  });
  // Users' own erasures once their grace period is over, and retention, daily: on the rooms' clock.
  const jobs = [
    periodicJob({
      name: 'due erasures',
      everyMs: config.limits.erasureCheckMs,
      clock: timers,
      log,
      run: async () => void (await eraseDue(erasure)),
    }),
    periodicJob({
      name: 'retention',
      everyMs: config.limits.retentionRunMs,
      clock: timers,
      log,
      run: async () => void (await runRetention({ ...erasure, retention }, { dryRun: false })),
    }),
  ];
  // E-mail only where SMTP is configured; nodemailer is loaded only then.
  let mail: { mailer: Mailer; transport: MailTransport } | null = null;
  if (config.mail) {
    const { smtpTransport } = await import('./mail/smtp-transport.ts');
    const transport = await smtpTransport(config.mail.smtpUrl, config.mail.from);
    const { smtpUrl: _url, from: _from, ...settings } = config.mail;
    const mailer = new Mailer({
      db,
      log,
      clock: timers,
      transport,
      settings: {
        ...settings,
        intervalMs: config.limits.mailIntervalMs,
        retryMs: config.limits.mailRetryMs,
        retryMaxMs: config.limits.mailRetryMaxMs,
      },
      unsubscribeKey: () => (unsubscribeKey ??= readUnsubscribeKey()),
    });
    mailer.start();
    mail = { mailer, transport };
  }
  const { port } = http.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('listening', {
    url,
    port,
    db: describeDatabase(config.database),
    ...(config.database.kind === 'sqlite' ? { durability: config.database.durability } : {}),
    fanout: config.redisUrl ? 'redis' : 'none',
    signIn: config.oidc ? 'oidc' : 'tokens',
  });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      log.info('shutting down');
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Sockets first, so no new writes arrive; then every queued write is committed and every
      // loaded room compacted before the database closes.
      sync.close();
      http.closeIdleConnections();
      await adminRequests.stop();
      await Promise.all(jobs.map((job) => job.stop()));
      await mail?.mailer.stop();
      mail?.transport.close();
      closedItems.destroy();
      await exports.destroy();
      await rooms.destroy();
      await commits.idle();
      await accessLogPruner.stop();
      await accessLog.close();
      http.closeAllConnections();
      await stopped;
      await fanout?.close();
      await database.close();
      log.info('stopped');
    })();
    return closing;
  };
  const mailSettled = async () => mail?.mailer.settled();
  return { url, port, db, docs, rooms, metrics, accessLog: { writer: accessLog, pruner: accessLogPruner }, mailSettled, close };
}
