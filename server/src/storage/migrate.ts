/** Runs kysely migrations on start. The list is explicit (no directory scanning) so bundling and type checks see it. */
import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-doc-heads.ts';
import * as m0003 from './migrations/0003-packet-registrations.ts';
import * as m0004 from './migrations/0004-admin.ts';
import * as m0005 from './migrations/0005-snapshot-encoding.ts';
import * as m0006 from './migrations/0006-oidc-sign-in.ts';
import * as m0007 from './migrations/0007-closed-items.ts';
import * as m0008 from './migrations/0008-erasure.ts';
import * as m0009 from './migrations/0009-access-log.ts';
import * as m0010 from './migrations/0010-notifications.ts';

const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-doc-heads': m0002,
  '0003-packet-registrations': m0003,
  '0004-admin': m0004,
  '0005-snapshot-encoding': m0005,
  '0006-oidc-sign-in': m0006,
  '0007-closed-items': m0007,
  '0008-erasure': m0008,
  '0009-access-log': m0009,
  '0010-notifications': m0010,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
