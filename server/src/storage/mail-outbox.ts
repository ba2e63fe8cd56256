/**
 * The persisted queue of e-mails (migration 0010, docs/NOTIFICATIONS.md "E-mail"): a row is
 * written in the same transaction that marks its notifications mailed, and deleted only once the
 * SMTP server accepted it; a failed send waits with backoff and is tried again, never dropped.
 * Several processes share the queue: an attempt is claimed by moving the row's next attempt on,
 * only if no one else did first.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';

export type OutboxRow = Selectable<Database['mail_outbox']>;

export interface OutgoingMail {
  recipientId: string;
  to: string;
  subject: string;
  text: string;
}

export async function enqueueMail(db: Kysely<Database>, mail: OutgoingMail, now: string): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({
      recipient_id: mail.recipientId,
      to_address: mail.to,
      subject: mail.subject,
      body: mail.text,
      created: now,
      next_attempt: now,
    })
    .execute();
}

/** E-mails whose next attempt is due, oldest first. */
export async function dueMail(db: Kysely<Database>, now: string, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('mail_outbox').selectAll().where('next_attempt', '<=', now).orderBy('id').limit(limit).execute();
}

/** Takes the attempt: true when this process moved the row's next attempt to `until` before anyone else. */
export async function claimMail(db: Kysely<Database>, row: OutboxRow, until: string): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ next_attempt: until })
    .where('id', '=', row.id)
    .where('next_attempt', '=', row.next_attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function mailSent(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('mail_outbox').where('id', '=', id).execute();
}

export async function mailFailed(db: Kysely<Database>, id: number, attempts: number, nextAttempt: string, error: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ attempts, next_attempt: nextAttempt, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}
