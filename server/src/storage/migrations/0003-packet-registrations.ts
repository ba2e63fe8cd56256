/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Packet metadata and aliases per user (docs/SECURITY.md, "A signed-in user: packet metadata").
 * Until now one global row per packet held its title and outline, and any user's registration of
 * a new version overwrote them; aliases were global, so whoever registered an address first
 * decided which packet it named for everyone.
 *
 * - `packet_registrations`: what one user registered of one version of a packet (title, meeting
 *   date, page count, outline). What a user sees of a packet comes from their own rows only.
 * - `packet_user_aliases`: the aliases (fingerprint, address, content hash, agenda) one user's
 *   registrations gave a packet. A registration is resolved through the caller's own aliases and
 *   those of people who share a group with them, never through a stranger's.
 *
 * The old columns of `packets` (title, meeting_date, page_count, outline), `packet_versions` and
 * `packet_aliases` are left as they are and no longer written: they are what was registered
 * before this migration, read only as a fallback for users who have a room on that packet.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('packet_registrations')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('packet_id', 'text', (c) => c.notNull().references('packets.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text')
    .addColumn('page_count', 'integer')
    .addColumn('outline', 'text')
    .addPrimaryKeyConstraint('packet_registrations_pk', ['user_id', 'packet_id', 'version'])
    .execute();
  await db.schema
    .createTable('packet_user_aliases')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('packet_id', 'text', (c) => c.notNull().references('packets.id').onDelete('cascade'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('packet_user_aliases_pk', ['user_id', 'alias'])
    .execute();
  // Colleagues' aliases are looked up by alias first.
  await db.schema.createIndex('packet_user_aliases_alias').on('packet_user_aliases').column('alias').execute();
}
