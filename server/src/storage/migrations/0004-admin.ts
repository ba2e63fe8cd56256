/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * - `users.disabled`: when an administrator disabled the user (null: active). A disabled user's
 *   tokens are refused everywhere, and their open sockets are closed at the next re-check.
 * - `admin_requests`: changes to rooms that an administrator asked for on the command line
 *   (remove a comment, reset a room). A running server picks them up and applies them to its
 *   live rooms, as it does every write; with no server running, the command applies them itself.
 */
import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled', 'text').execute();
  const pg = isPostgres(db);
  await db.schema
    .createTable('admin_requests')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('claimed', 'text')
    .addColumn('done', 'text')
    .addColumn('result', 'text')
    .execute();
}
