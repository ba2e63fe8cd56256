/**
 * Which database the server tests run on. The `integration` project uses a fresh SQLite file per
 * server; the `integration-postgres` project (RANDNOTER_TEST_DATABASE=postgres) a fresh database
 * per server on the PostgreSQL that `npm test` started (RANDNOTER_TEST_POSTGRES_URL, test/run.ts).
 * A test server's database is named by a location: a file path or a postgres:// URL, as
 * `randnoter serve --database` takes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseOf } from '@randnoter/server/config';
import { type OpenedDatabase, openDatabase } from '@randnoter/server/storage/database';
import pg from 'pg';

export type TestBackend = 'sqlite' | 'postgres';

export const testBackend: TestBackend = process.env.RANDNOTER_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'randnoter-')), 'test.sqlite');
}

/** A fresh, empty database on this run's backend. */
export async function tempDatabase(): Promise<string> {
  if (testBackend === 'sqlite') return tempDbPath();
  return createPostgresDatabase();
}

/** A fresh database on the test PostgreSQL, whatever this run's backend (the scale-out tests need one). */
async function createPostgresDatabase(): Promise<string> {
  const serverUrl = process.env.RANDNOTER_TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('RANDNOTER_TEST_POSTGRES_URL is not set: npm test starts a PostgreSQL (test/run.ts)');
  const name = `randnoter_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Opens a test database by its location, as the server would (migrations are the server's job). */
export function openTestDatabase(location: string): OpenedDatabase {
  return openDatabase(databaseOf({ database: location }, {}));
}

/** The flag that points `randnoter` at `location`. */
export function databaseArgs(location: string): string[] {
  return ['--database', location];
}
