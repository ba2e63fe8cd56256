/**
 * E-mail of notifications (docs/NOTIFICATIONS.md, "E-mail"). Every `intervalMs` one run:
 * 1. each recipient with notifications still unread `delayMinutes` after they were made gets one
 *    mail listing them (those of groups whose e-mail they turned off, and those they may no
 *    longer see, are passed over); the notifications are marked mailed in the same transaction
 *    that queues the mail, so a second process or run never takes them again;
 * 2. from `digestHour` on the day before a packet's meeting date (in `timeZone`), each member who
 *    registered the packet with that date and has unread notifications on it gets the digest,
 *    once (mail_digests);
 * 3. due mail in the queue is sent; a failure waits `retryMs`, doubling up to `retryMaxMs`, and is
 *    tried again, never dropped.
 * Time comes from the injected clock, so tests drive it without waiting.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../log.ts';
import { unsubscribeToken } from '../notifications/unsubscribe-token.ts';
import { claimMail, dueMail, enqueueMail, mailFailed, mailSent } from '../storage/mail-outbox.ts';
import { type StoredNotification, visibleNotifications } from '../storage/notifications.ts';
import type { Database } from '../storage/schema.ts';
import type { Clock, Timer } from '../sync/clock.ts';
import { composeBatch, composeDigest, type MailContext } from './compose-mail.ts';
import type { MailTransport } from './smtp-transport.ts';

interface MailerSettings {
  publicUrl: string;
  delayMinutes: number;
  digestHour: number;
  timeZone: string;
  intervalMs: number;
  retryMs: number;
  retryMaxMs: number;
}

export interface MailerDeps {
  db: Kysely<Database>;
  log: Logger;
  clock: Clock;
  transport: MailTransport;
  settings: MailerSettings;
  /** The key unsubscribe links are signed with (migration 0010). */
  unsubscribeKey: () => Promise<string>;
}

/** Recipients, digests and queued mails one run takes at most; the rest wait for the next run. */
const PER_RUN = 200;
/** How long a claimed send may take before another process may try the mail again. */
const SEND_LEASE_MS = 10 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** The date (YYYY-MM-DD) and hour at `ms` in a time zone. */
function localTime(ms: number, timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export class Mailer {
  readonly #deps: MailerDeps;
  #timer: Timer | null = null;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deps: MailerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#running = this.run().finally(() => {
        if (!this.#stopped && this.#timer) this.#timer.refresh();
      });
    }, this.#deps.settings.intervalMs);
  }

  /** Resolves when the run under way (if any) is over. */
  settled(): Promise<void> {
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One run: queue what is due, then send what is queued. Errors are logged; the next run tries again. */
  async run(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const [step, work] of [
      ['batch', () => this.#queueUnread(now)],
      ['digest', () => this.#queueDigests(now)],
      ['send', () => this.#send(now)],
    ] as const) {
      try {
        await work();
      } catch (error) {
        this.#deps.log.error('mail run failed', { step, error: String(error) });
      }
    }
  }

  /** Read inside the transaction that queues the mail: `db` is that transaction (SQLite has one connection). */
  async #context(
    db: Kysely<Database>,
    key: string,
    userId: string,
    packetIds: readonly string[],
  ): Promise<MailContext & { to: string | null }> {
    const user = await db.selectFrom('users').select(['name', 'email']).where('id', '=', userId).executeTakeFirst();
    const titles = new Map<string, string>();
    if (packetIds.length > 0) {
      const rows = await db
        .selectFrom('packet_registrations')
        .select(['packet_id', 'title'])
        .where('user_id', '=', userId)
        .where('packet_id', 'in', [...packetIds])
        .orderBy('last_seen')
        .execute();
      for (const r of rows) if (r.title) titles.set(r.packet_id, r.title);
    }
    const base = `${this.#deps.settings.publicUrl}/api/notification-settings/unsubscribe?token=`;
    return {
      to: user?.email ?? null,
      recipientName: user?.name ?? '',
      titles,
      unsubscribe: (groupId) => base + encodeURIComponent(unsubscribeToken(key, userId, groupId)),
    };
  }

  /** Of what the user may still see, what goes to groups whose e-mail is on. */
  async #mailable(db: Kysely<Database>, userId: string, rows: Parameters<typeof visibleNotifications>[2]): Promise<StoredNotification[]> {
    const visible = await visibleNotifications(db, userId, rows);
    const off = new Set(
      (await db.selectFrom('notification_settings').select('group_id').where('user_id', '=', userId).where('email', '=', 0).execute()).map(
        (r) => r.group_id,
      ),
    );
    return visible.filter((n) => !off.has(n.groupId));
  }

  async #queueUnread(now: number): Promise<void> {
    const { db, settings } = this.#deps;
    const cutoff = iso(now - settings.delayMinutes * 60_000);
    const unread = (qb: Kysely<Database>) =>
      qb.selectFrom('notifications').where('mailed', 'is', null).where('read_at', 'is', null).where('created', '<=', cutoff);
    const recipients = await unread(db).select('recipient_id').distinct().limit(PER_RUN).execute();
    const key = await this.#deps.unsubscribeKey();
    for (const { recipient_id: userId } of recipients) {
      await db.transaction().execute(async (trx) => {
        // Taken by this run only if no other run or process took them first.
        const taken = await trx
          .updateTable('notifications')
          .set({ mailed: iso(now) })
          .where('recipient_id', '=', userId)
          .where('mailed', 'is', null)
          .where('read_at', 'is', null)
          .where('created', '<=', cutoff)
          .returningAll()
          .execute();
        const notes = await this.#mailable(trx, userId, taken);
        if (notes.length === 0) return;
        const context = await this.#context(trx, key, userId, [...new Set(notes.map((n) => n.packetId))]);
        if (!context.to) return;
        const mail = composeBatch(notes, context);
        await enqueueMail(trx, { recipientId: userId, to: context.to, ...mail }, iso(now));
      });
    }
  }

  async #queueDigests(now: number): Promise<void> {
    const { db, settings } = this.#deps;
    const local = localTime(now, settings.timeZone);
    if (local.hour < settings.digestHour) return;
    const meetingDate = nextDay(local.date);
    const candidates = await db
      .selectFrom('packet_registrations')
      .select(['user_id', 'packet_id'])
      .distinct()
      .where('meeting_date', '=', meetingDate)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('mail_digests')
              .select('user_id')
              .whereRef('mail_digests.user_id', '=', 'packet_registrations.user_id')
              .whereRef('mail_digests.packet_id', '=', 'packet_registrations.packet_id')
              .where('mail_digests.meeting_date', '=', meetingDate),
          ),
        ),
      )
      .limit(PER_RUN)
      .execute();
    const key = await this.#deps.unsubscribeKey();
    for (const { user_id: userId, packet_id: packetId } of candidates) {
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('notifications')
          .selectAll()
          .where('recipient_id', '=', userId)
          .where('packet_id', '=', packetId)
          .where('read_at', 'is', null)
          .execute();
        const notes = await this.#mailable(trx, userId, rows);
        if (notes.length === 0) return;
        const context = await this.#context(trx, key, userId, [packetId]);
        if (!context.to) return;
        const claimed = await trx
          .insertInto('mail_digests')
          .values({ user_id: userId, packet_id: packetId, meeting_date: meetingDate, sent: iso(now) })
          .onConflict((oc) => oc.columns(['user_id', 'packet_id', 'meeting_date']).doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!claimed) return;
        const mail = composeDigest(packetId, meetingDate, notes, context);
        await enqueueMail(trx, { recipientId: userId, to: context.to, ...mail }, iso(now));
      });
    }
  }

  async #send(now: number): Promise<void> {
    const { db, settings, transport, log } = this.#deps;
    for (const row of await dueMail(db, iso(now), PER_RUN)) {
      if (this.#stopped) return;
      if (!(await claimMail(db, row, iso(now + SEND_LEASE_MS)))) continue;
      try {
        await transport.send({ recipientId: row.recipient_id, to: row.to_address, subject: row.subject, text: row.body });
        await mailSent(db, row.id);
      } catch (error) {
        const attempts = row.attempts + 1;
        const wait = Math.min(settings.retryMs * 2 ** (attempts - 1), settings.retryMaxMs);
        log.warn('mail not sent: tried again later', { attempts, waitMs: wait, error: String(error) });
        await mailFailed(db, row.id, attempts, iso(now + wait), String(error));
      }
    }
  }
}
