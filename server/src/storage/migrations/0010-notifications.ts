/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Mentions and notifications (docs/NOTIFICATIONS.md):
 * - `notifications`: one row per (recipient, comment, reason), made by the server when it applies
 *   an intent; the unique key is what makes an edit, a retried intent or a second process never
 *   notify twice. `closed` is 1 for a comment in a closed item's room (e-mail says nothing of it);
 *   `read_at` when the recipient read it; `mailed` when e-mail took it (sent, or found read/off).
 * - `notification_settings`: a member's choice per group (`level`: all | mentionsAndReplies |
 *   none; `email` 1/0); no row: mentionsAndReplies with e-mail.
 * - `packet_opens`: that a member opened a group's packet (their socket joined its shared room),
 *   for the `follow` reason.
 * - `mail_outbox`: e-mails written and not yet accepted by the SMTP server, retried with backoff.
 * - `mail_digests`: the day-before-the-meeting digests sent, one per (user, packet, meeting date).
 * - `server_secrets`: random values made once per database (the key that signs unsubscribe links),
 *   the same for every process.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('packet_id', 'text', (c) => c.notNull())
    .addColumn('item_number', 'integer')
    .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('annotation_id', 'text', (c) => c.notNull())
    .addColumn('quote', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('mailed', 'text')
    .addUniqueConstraint('notifications_once', ['recipient_id', 'group_id', 'packet_id', 'annotation_id', 'reason'])
    .execute();
  await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_id', 'id']).execute();
  await db.schema.createIndex('notifications_comment').on('notifications').columns(['group_id', 'packet_id', 'annotation_id']).execute();
  await db.schema.createIndex('notifications_unmailed').on('notifications').columns(['mailed', 'created']).execute();
  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('email', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'group_id'])
    .execute();
  await db.schema
    .createTable('packet_opens')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('packet_id', 'text', (c) => c.notNull())
    .addColumn('opened', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('packet_opens_pk', ['user_id', 'group_id', 'packet_id'])
    .execute();
  await db.schema.createIndex('packet_opens_packet').on('packet_opens').columns(['group_id', 'packet_id']).execute();
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').column('next_attempt').execute();
  await db.schema
    .createTable('mail_digests')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('packet_id', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text', (c) => c.notNull())
    .addColumn('sent', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_digests_pk', ['user_id', 'packet_id', 'meeting_date'])
    .execute();
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ server_secrets: { name: string; value: string } }>)
    .insertInto('server_secrets')
    .values({ name: 'unsubscribe', value: randomBytes(32).toString('base64url') })
    .execute();
}
