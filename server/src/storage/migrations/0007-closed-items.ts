/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Closed agenda items ("lukket punkt", docs/CLOSED-ITEMS.md):
 * - `memberships.role`: `member` or `secretary` (a secretary marks items closed); rows before: `member`.
 * - `memberships.closed_access`: 1 when the member may read closed items (unless excluded from
 *   one), 0 otherwise; rows before: 0.
 * - `groups.oidc_secretaries`, `groups.oidc_closed_access`: groups-claim values that make a signed-in
 *   member a secretary, or give them closed access (null: a sign-in leaves role and access alone).
 * - `closed_items`: one row per closed item of a group's packet, with the members excluded from
 *   it (a JSON array of user ids). An item without a row is open.
 * - `item_access_audit`: every change of an item's access, who made it and when, never removed.
 */
import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // One column per statement: SQLite adds one at a time.
  await db.schema
    .alterTable('memberships')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .execute();
  await db.schema
    .alterTable('memberships')
    .addColumn('closed_access', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('groups').addColumn('oidc_secretaries', 'text').execute();
  await db.schema.alterTable('groups').addColumn('oidc_closed_access', 'text').execute();
  await db.schema
    .createTable('closed_items')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('packet_id', 'text', (c) => c.notNull())
    .addColumn('item_number', 'integer', (c) => c.notNull())
    .addColumn('excluded', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('closed_items_pk', ['group_id', 'packet_id', 'item_number'])
    .execute();
  await db.schema
    .createTable('item_access_audit')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('packet_id', 'text', (c) => c.notNull())
    .addColumn('item_number', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addColumn('excluded', 'text', (c) => c.notNull())
    .addColumn('moved', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('item_access_audit_item').on('item_access_audit').columns(['group_id', 'packet_id', 'item_number']).execute();
}
