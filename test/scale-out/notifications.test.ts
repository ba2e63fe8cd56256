/**
 * Notifications across server processes (docs/NOTIFICATIONS.md): two `randnoter serve` processes
 * on one PostgreSQL and one Redis, both mailing over one SMTP server. A comment sent to either
 * makes each notification once, every socket of the recipient that asked for notifications gets
 * it once whichever process it is on, the same intent sent to both processes at once still makes
 * one, and two mailers sharing the queue send one mail.
 */
import { randomBytes } from 'node:crypto';
import { createUser } from '@randnoter/server/auth/accounts';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { listenForNotifications, type NotificationClient } from '../support/notification-client.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { openTestDatabase, tempDatabase, testBackend } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const redisUrl = process.env.RANDNOTER_TEST_REDIS_URL;
const ROOM = '/api/groups/udvalg/packets/p1';

describe.skipIf(testBackend !== 'postgres' || !redisUrl)('notifications on two server processes', () => {
  const processes: SpawnedServer[] = [];
  const clients: NotificationClient[] = [];
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGTERM')));
    await sink?.close();
  });

  it('makes each notification once and delivers it once to every listening socket, whichever process took the comment', async () => {
    const database = await tempDatabase();
    const opened = openTestDatabase(database);
    await migrateToLatest(opened.db as Kysely<unknown>);
    const now = new Date().toISOString();
    const user = async (name: string, email: string | null) => {
      const made = await createUser(opened.db, name, 'udvalg', now);
      if (email) await opened.db.updateTable('users').set({ email }).where('id', '=', made.user.id).execute();
      return { ...made.user, token: made.token };
    };
    const [anne, bo] = [await user('Anne Jensen', null), await user('Bo Hansen', 'bo@kommune.example')];
    sink = await startSmtpSink();
    const options = {
      env: {
        RANDNOTER_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
        RANDNOTER_SMTP_URL: sink.url,
        RANDNOTER_SMTP_FROM: 'Randnoter <randnoter@kommune.example>',
        RANDNOTER_PUBLIC_URL: 'https://randnoter.kommune.example',
        RANDNOTER_MAIL_DELAY_MINUTES: '0',
        RANDNOTER_MAIL_INTERVAL_MS: '100',
      },
      args: ['--redis', redisUrl as string],
    };
    const [p1, p2] = await Promise.all([spawnServer(database, options), spawnServer(database, options)]);
    processes.push(p1, p2);
    const onP1 = await listenForNotifications(p1.wsUrl, bo.token, 'watch-1');
    const onP2 = await listenForNotifications(p2.wsUrl, bo.token, 'watch-2');
    clients.push(onP1, onP2);
    const ids = (client: NotificationClient) => client.received.map((n) => n.annotationId);

    // Through p1: Bo's socket on p2 hears it from p1 over Redis, the one on p1 from p1 itself.
    const sent = Date.now();
    expect((await api(p1.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c1', 'Bo?', { mentions: [bo.id] }))).status).toBe(
      201,
    );
    await waitFor(() => onP1.received.length >= 1 && onP2.received.length >= 1, { what: 'c1 on both sockets', timeoutMs: 2_000 });
    expect(Math.max(...[...onP1.received, ...onP2.received].map((n) => n.at)) - sent).toBeLessThan(1_000);

    // The same create to both processes at once (a client retrying against another process).
    const draft = commentDraft('c2', 'Igen, Bo?', { mentions: [bo.id] });
    const both = await Promise.all([p1, p2].map((p) => api(p.url, anne.token, 'POST', `${ROOM}/annotations`, draft)));
    for (const answer of both) expect([200, 201]).toContain(answer.status);
    // A later one through p2, as a marker: once it is everywhere, a duplicate of c2 would have come.
    await api(p2.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c3', 'Sidste', { mentions: [bo.id] }));
    await waitFor(() => ids(onP1).includes('c3') && ids(onP2).includes('c3'), { what: 'c3 on both sockets', timeoutMs: 2_000 });
    for (const client of [onP1, onP2]) expect(ids(client).sort()).toEqual(['c1', 'c2', 'c3']);
    const stored = await api<Array<{ annotationId: string }>>(p2.url, bo.token, 'GET', '/api/notifications');
    expect(stored.body.map((n) => n.annotationId)).toEqual(['c3', 'c2', 'c1']);

    // Both processes mail; Bo gets his three notifications mailed once, over however many mails.
    const db = openTestDatabase(database);
    try {
      await waitFor(
        async () => {
          const left = await db.db.selectFrom('notifications').select('id').where('mailed', 'is', null).execute();
          const queued = await db.db.selectFrom('mail_outbox').select('id').execute();
          return left.length === 0 && queued.length === 0;
        },
        { what: 'every notification mailed', timeoutMs: 10_000 },
      );
    } finally {
      await db.close();
    }
    const mentioned = sink.received.flatMap((m) => m.text.split('\n').filter((line) => line.startsWith('- Anne Jensen nævnte dig')));
    expect(mentioned).toHaveLength(3);
    expect(sink.received.every((m) => m.to === 'bo@kommune.example')).toBe(true);
  });
});
