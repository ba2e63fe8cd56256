/**
 * A real Randnoter server in this process: port 0, a fresh database on this run's backend (a
 * SQLite file, or a PostgreSQL database in the integration-postgres project), real accounts.
 */
import { addMembership, createGroup, createUser } from '@randnoter/server/auth/accounts';
import { DEFAULT_LIMITS, databaseOf, type Limits, type MailConfig, type OidcConfig, type ServerConfig } from '@randnoter/server/config';
import { createLogger, type Level, type Logger, silentLogger } from '@randnoter/server/log';
import { type RunningServer, startServer } from '@randnoter/server/server';
import type { Durability } from '@randnoter/server/storage/database';
import type { MemberAccess } from '@randnoter/server/storage/users';
import type { Clock } from '@randnoter/server/sync/clock';
import { tempDatabase } from './test-database.ts';

export { tempDbPath } from './test-database.ts';

export interface TestServer extends RunningServer {
  /** Where its data is: a SQLite file or a postgres:// URL (what `--database` takes). */
  database: string;
  wsUrl: string;
  addUser(name: string, group?: string): Promise<{ id: string; name: string; token: string }>;
  addGroup(id: string, name?: string): Promise<void>;
  addMember(groupId: string, userId: string): Promise<void>;
  /** A member's role and closed access (closed items), as `admin group add-member` sets them. */
  setAccess(groupId: string, userId: string, access: Partial<MemberAccess>): Promise<void>;
}

export interface TestServerOptions {
  limits?: Partial<Limits>;
  /** An existing database (a restart); a fresh one when absent. */
  database?: string;
  demoDir?: string;
  durability?: Durability;
  /** Receives every JSON log line (at `logLevel`, default debug); silent when absent. */
  logLines?: string[];
  logLevel?: Level;
  /** Listen on this port (e.g. to restart a server where clients expect it); 0 picks a free one. */
  port?: number;
  /** Share rooms with other processes on the same PostgreSQL database through this Redis. */
  redisUrl?: string;
  /** Redis channel prefix (servers with different prefixes do not hear each other). */
  redisPrefix?: string;
  /** Sign-in through an OpenID Connect provider. */
  oidc?: OidcConfig;
  /** The server's clock (token expiry, sign-in times); the real one when absent. */
  clock?: () => Date;
  /** What the mailer waits with; the real timers when absent. */
  timers?: Clock;
  /** E-mail of notifications over SMTP. */
  mail?: MailConfig;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await tempDatabase());
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: options.port ?? 0,
    database: databaseOf({ database }, {}, options.durability ?? 'normal'),
    redisPrefix: options.redisPrefix ?? 'randnoter:',
    logLevel: options.logLevel ?? 'error',
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.demoDir ? { demoDir: options.demoDir } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
  };
  const lines = options.logLines;
  const log: Logger = lines ? createLogger(options.logLevel ?? 'debug', (line) => lines.push(line)) : silentLogger;
  const server = await startServer(config, log, options.clock, options.timers);
  const now = () => new Date().toISOString();
  return {
    ...server,
    database,
    wsUrl: `${server.url.replace('http', 'ws')}/sync`,
    async addUser(name, group) {
      const { user, token } = await createUser(server.db, name, group, now());
      return { id: user.id, name: user.name, token };
    },
    async addGroup(id, name) {
      await createGroup(server.db, id, name, now());
    },
    async addMember(groupId, userId) {
      await addMembership(server.db, groupId, userId);
    },
    async setAccess(groupId, userId, access) {
      await addMembership(server.db, groupId, userId, access);
    },
  };
}
