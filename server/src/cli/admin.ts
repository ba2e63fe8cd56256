/**
 * `randnoter admin …`: accounts and backups, straight on the database (safe while serving: SQLite
 * WAL, or PostgreSQL's own concurrency).
 */
import type { Kysely } from 'kysely';
import { AccountError, addMembership, createGroup, createUser, issueToken, revoke } from '../auth/accounts.ts';
import { backupSqlite, type DatabaseConfig, type OpenedDatabase, openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { UsageError } from './usage.ts';

type Flags = Record<string, string | boolean | undefined>;

export async function runAdmin(positionals: string[], flags: Flags, config: DatabaseConfig, out: (line: string) => void): Promise<void> {
  const [area, action, ...rest] = positionals;
  const now = new Date().toISOString();
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  const group = typeof flags.group === 'string' ? flags.group : undefined;
  const need = (n: number, what: string) => {
    if (rest.length !== n) throw new UsageError(`admin ${area} ${action} needs ${what}`);
  };

  const database = await open(config);
  const { db } = database;
  try {
    switch (`${area} ${action}`) {
      case 'user add': {
        if (!name) throw new UsageError('admin user add needs --name "Full Name"');
        need(0, 'only --name and --group');
        const { user, token, groupCreated } = await createUser(db, name, group, now);
        out(`Created user ${user.id} (${user.name})`);
        if (group) out(`${groupCreated ? 'Created group' : 'Added to group'} ${group}${groupCreated ? ' and added the user' : ''}`);
        out(`Token, shown once: ${token}`);
        return;
      }
      case 'group add': {
        need(1, 'a group id');
        const { group: created, created: isNew } = await createGroup(db, rest[0] as string, name, now);
        out(isNew ? `Created group ${created.id} (${created.name})` : `Group ${created.id} already exists`);
        return;
      }
      case 'group add-member': {
        need(2, '<group> <user>');
        await addMembership(db, rest[0] as string, rest[1] as string);
        out(`User ${rest[1]} is a member of ${rest[0]}`);
        return;
      }
      case 'token add': {
        need(1, 'a user id');
        out(`Token, shown once: ${await issueToken(db, rest[0] as string, now)}`);
        return;
      }
      case 'token revoke': {
        need(1, 'a token or a user id');
        const count = await revoke(db, rest[0] as string, now);
        out(`Revoked ${count} token${count === 1 ? '' : 's'}`);
        return;
      }
      default:
        throw new UsageError(`unknown admin command "${positionals.join(' ')}"`);
    }
  } catch (error) {
    if (error instanceof AccountError) throw new UsageError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

/** Safe while a server writes to the database: the copy is one consistent snapshot (see backupSqlite). */
export async function runBackup(file: string | undefined, config: DatabaseConfig, out: (line: string) => void): Promise<void> {
  if (!file) throw new UsageError('admin backup needs a target file');
  // PostgreSQL has its own online backups; docs/DEPLOYMENT.md shows pg_dump.
  if (config.kind !== 'sqlite') throw new UsageError('admin backup copies a SQLite file; back up PostgreSQL with pg_dump');
  const dbPath = config.path;
  try {
    backupSqlite(dbPath, file);
  } catch (error) {
    throw new UsageError(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  out(`Backed up ${dbPath} to ${file}`);
}

async function open(config: DatabaseConfig): Promise<OpenedDatabase> {
  const database = openDatabase(config);
  await migrateToLatest(database.db as Kysely<unknown>);
  return database;
}
