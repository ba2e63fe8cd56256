/** A real Randnoter server in this process: port 0, a fresh SQLite file, real accounts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@randnoter/server/auth/accounts';
import { DEFAULT_LIMITS, type Limits, type ServerConfig } from '@randnoter/server/config';
import { silentLogger } from '@randnoter/server/log';
import { type RunningServer, startServer } from '@randnoter/server/server';

export interface TestServer extends RunningServer {
  dbPath: string;
  wsUrl: string;
  addUser(name: string, group?: string): Promise<{ id: string; name: string; token: string }>;
}

export async function startTestServer(
  options: { limits?: Partial<Limits>; dbPath?: string; demoDir?: string; port?: number } = {},
): Promise<TestServer> {
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'randnoter-')), 'test.sqlite');
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: options.port ?? 0,
    dbPath,
    durability: 'normal',
    logLevel: 'error',
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.demoDir ? { demoDir: options.demoDir } : {}),
  };
  const server = await startServer(config, silentLogger);
  return {
    ...server,
    dbPath,
    wsUrl: `${server.url.replace('http', 'ws')}/sync`,
    async addUser(name, group) {
      const { user, token } = await createUser(server.db, name, group, new Date().toISOString());
      return { id: user.id, name: user.name, token };
    },
  };
}
