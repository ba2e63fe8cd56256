/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * `access_log`: who opened which group's room (its shared room or a closed item's room) and when,
 * and who exported what (docs/OPERATIONS.md, "Access log"). Never any note text: ids, a kind of
 * access, a format. Rows older than RANDNOTER_ACCESS_LOG_DAYS are removed daily.
 * - `action`: `opened` (a room was read), `exported` (a packet's shared comments went into a file),
 *   `own-data` (a person's own-data export).
 * - `via`: `socket`, `http` or `command` (an administrator on the command line).
 * - `user_id`: who did it; for `own-data` through `command`, whose data it was.
 * - `group_id`, `packet_id`, `item_number`: the room (item_number null: the group's open room);
 *   all null for `own-data`.
 * - `detail`: the export's format; null otherwise.
 */
import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('access_log')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('packet_id', 'text')
    .addColumn('item_number', 'integer')
    .addColumn('detail', 'text')
    .execute();
  // The questions asked of it: one person's entries, one group's, and everything before a day (pruning).
  await db.schema.createIndex('access_log_user').on('access_log').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('access_log_group').on('access_log').columns(['group_id', 'at']).execute();
  await db.schema.createIndex('access_log_at').on('access_log').column('at').execute();
}
