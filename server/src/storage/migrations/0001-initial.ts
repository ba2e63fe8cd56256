/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * The one exception, made when PostgreSQL support came: the column types now depend on the
 * dialect. On SQLite every statement is exactly what it always was; on PostgreSQL binary data is
 * `bytea`, the token id an identity column, and room names sort bytewise (`collate "C"`), as
 * SQLite sorts them, so that listing rooms by prefix is a range scan that means the same on both.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const binary = pg ? 'bytea' : 'blob';
  const roomName = pg ? sql`text collate "C"` : 'text';
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tokens')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('revoked', 'text')
    .execute();
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('memberships')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('memberships_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
  await db.schema
    .createTable('doc_updates')
    .addColumn('room', roomName, (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_updates_pk', ['room', 'seq'])
    .execute();
  await db.schema
    .createTable('doc_snapshots')
    .addColumn('room', roomName, (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('packets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text')
    .addColumn('page_count', 'integer')
    .addColumn('outline', 'text')
    .execute();
  await db.schema
    .createTable('packet_aliases')
    .addColumn('alias', 'text', (c) => c.primaryKey())
    .addColumn('packet_id', 'text', (c) => c.notNull().references('packets.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('packet_versions')
    .addColumn('packet_id', 'text', (c) => c.notNull().references('packets.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('page_count', 'integer')
    .addPrimaryKeyConstraint('packet_versions_pk', ['packet_id', 'version'])
    .execute();
}
