/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Retention and erasure (docs/OPERATIONS.md, "Personal data"):
 * - `erasures`: one record per erasure, without content: what was erased (`subject_kind` `user`
 *   with the user's id, or `packet` with the packet's id), when, by whom (`by`: `admin`, `self`
 *   after the grace period, or `retention`), and how many rooms were removed or rewritten and how
 *   many annotations emptied. Never a name, never a word of a note.
 * - `erasure_requests`: a user's own request (`DELETE /api/me`), carried out at `erase_at` by a
 *   running server (also after a restart), or an administrator's, due at once.
 * - `groups.retention_days`: the group's own retention of its rooms, in days after the meeting
 *   date; null: the server's `RANDNOTER_RETENTION_DAYS`.
 */
import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('erasures')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('rooms_removed', 'integer', (c) => c.notNull())
    .addColumn('rooms_rewritten', 'integer', (c) => c.notNull())
    .addColumn('annotations', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('erasures_subject').on('erasures').columns(['subject_kind', 'subject_id']).execute();
  await db.schema
    .createTable('erasure_requests')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('requested', 'text', (c) => c.notNull())
    .addColumn('erase_at', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('erasure_requests_due').on('erasure_requests').column('erase_at').execute();
  await db.schema.alterTable('groups').addColumn('retention_days', 'integer').execute();
}
