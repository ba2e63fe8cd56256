/** A real Randnoter server in this process: port 0, a fresh SQLite file, real accounts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMembership, createGroup, createUser } from '@randnoter/server/auth/accounts';
import { DEFAULT_LIMITS, type Limits, type ServerConfig } from '@randnoter/server/config';
import { createLogger, type Level, type Logger, silentLogger } from '@randnoter/server/log';
import { type RunningServer, startServer } from '@randnoter/server/server';
import type { Durability } from '@randnoter/server/storage/database';

export interface TestServer extends RunningServer {
  dbPath: string;
  wsUrl: string;
  addUser(name: string, group?: string): Promise<{ id: string; name: string; token: string }>;
  addGroup(id: string, name?: string): Promise<void>;
  addMember(groupId: string, userId: string): Promise<void>;
}

export interface TestServerOptions {
  limits?: Partial<Limits>;
  dbPath?: string;
  demoDir?: string;
  durability?: Durability;
  /** Receives every JSON log line (at `logLevel`, default debug); silent when absent. */
  logLines?: string[];
  logLevel?: Level;
  /** Listen on this port (e.g. to restart a server where clients expect it); 0 picks a free one. */
  port?: number;
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'randnoter-')), 'test.sqlite');
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dbPath = options.dbPath ?? tempDbPath();
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: options.port ?? 0,
    dbPath,
    durability: options.durability ?? 'normal',
    logLevel: options.logLevel ?? 'error',
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.demoDir ? { demoDir: options.demoDir } : {}),
  };
  const lines = options.logLines;
  const log: Logger = lines ? createLogger(options.logLevel ?? 'debug', (line) => lines.push(line)) : silentLogger;
  const server = await startServer(config, log);
  const now = () => new Date().toISOString();
  return {
    ...server,
    dbPath,
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
  };
}
