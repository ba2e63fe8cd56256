/**
 * E-mail of notifications against a real SMTP server on loopback (docs/NOTIFICATIONS.md,
 * "E-mail"): one mail per recipient of what is still unread after the delay, nothing to someone
 * who read in time or turned e-mail off, closed items without content, the unsubscribe link, the
 * digest the day before a meeting, and a failing SMTP server that delays mail and loses none.
 * The server's clock and the mailer's timers are one test clock.
 */
import type { MailConfig } from '@randnoter/server/config';
import { type TestClock, testClock } from '@randnoter/server/sync/test-clock';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const MINUTE = 60_000;
const ROOM = '/api/groups/udvalg/packets/p1';
/** 09:00 in Copenhagen on Monday 7 December 2026: before the digest hour (16). */
const MONDAY_MORNING = Date.parse('2026-12-07T08:00:00Z');

describe('e-mail of notifications', () => {
  let server: TestServer | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await server?.close();
    await sink?.close();
    server = undefined;
  });

  async function start(clock: TestClock, mail: Partial<MailConfig> = {}) {
    sink = await startSmtpSink();
    server = await startTestServer({
      clock: () => new Date(clock.now()),
      timers: clock,
      limits: { mailIntervalMs: MINUTE, mailRetryMs: MINUTE, mailRetryMaxMs: 10 * MINUTE },
      mail: {
        smtpUrl: sink.url,
        from: 'Randnoter <randnoter@kommune.example>',
        publicUrl: 'https://randnoter.kommune.example',
        delayMinutes: 15,
        digestHour: 16,
        timeZone: 'Europe/Copenhagen',
        ...mail,
      },
    });
    const s = server;
    const member = async (name: string, email: string | null) => {
      const user = await s.addUser(name, 'udvalg');
      if (email) await s.db.updateTable('users').set({ email }).where('id', '=', user.id).execute();
      return user;
    };
    return { server: s, sink, member };
  }

  /** Moves the test clock on a minute at a time (the mailer's interval), waiting for each run that falls due. */
  async function after(clock: TestClock, ms: number) {
    for (let left = ms; left > 0; left -= MINUTE) {
      clock.advance(Math.min(MINUTE, left));
      await server?.mailSettled();
    }
  }

  it('sends each recipient one mail of what is still unread after the delay, and nothing to those who read it or opted out', async () => {
    const clock = testClock(MONDAY_MORNING);
    const { server, sink, member } = await start(clock);
    const anne = await member('Anne Jensen', 'anne@kommune.example');
    const bo = await member('Bo Hansen', 'bo@kommune.example');
    const carl = await member('Carl Nielsen', 'carl@kommune.example');
    const dan = await member('Dan Olsen', 'dan@kommune.example');
    const sec = await member('Sif Sekretær', null);
    await server.setAccess('udvalg', sec.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('udvalg', bo.id, { closedAccess: true });
    await server.setAccess('udvalg', anne.id, { closedAccess: true });
    expect((await api(server.url, sec.token, 'PUT', `${ROOM}/items/4/access`, { closed: true })).status).toBe(200);
    await api(server.url, dan.token, 'PUT', '/api/notification-settings', { groups: [{ groupId: 'udvalg', email: false }] });

    const everyone = [bo.id, carl.id, dan.id];
    await api(server.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c1', 'Hvad koster det?', { mentions: everyone }));
    await api(server.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c2', 'Og hvornår?', { mentions: everyone }));
    const closed = await api(server.url, anne.token, 'POST', `${ROOM}/items/4/annotations`, {
      ...commentDraft('k1', 'Fortrolig indstilling', { mentions: [bo.id] }),
      target: { page: 9, agendaItem: { number: 4, title: 'Lukket punkt' }, selectors: [{ type: 'TextQuoteSelector', exact: 'personsag' }] },
    });
    expect(closed.status).toBe(201);
    // Carl reads his in time.
    expect((await api(server.url, carl.token, 'POST', '/api/notifications/read', { packetId: 'p1' })).body).toEqual({ read: 2 });

    await after(clock, 14 * MINUTE);
    expect(sink.received).toEqual([]);
    await after(clock, 2 * MINUTE);
    expect(sink.received.map((m) => [m.to, m.subject])).toEqual([['bo@kommune.example', 'Randnoter: 3 ulæste beskeder til dig']]);
    const [mail] = sink.received;
    expect(mail?.from).toBe('randnoter@kommune.example');
    expect(mail?.text).toContain('Hej Bo Hansen');
    expect(mail?.text).toContain('- Anne Jensen nævnte dig: »budget«');
    expect(mail?.text).toContain('- Ny kommentar på et lukket punkt (punkt 4)');
    expect(mail?.text).not.toContain('personsag');
    expect(mail?.text).not.toContain('Fortrolig');

    // Nothing twice, however many runs follow.
    await after(clock, MINUTE);
    await after(clock, MINUTE);
    expect(sink.received).toHaveLength(1);

    // The link turns Bo's e-mail of the group off, without a bearer token.
    const link = /https:\/\/randnoter\.kommune\.example(\/api\/notification-settings\/unsubscribe\?token=\S+)/.exec(mail?.text ?? '')?.[1];
    expect(link).toBeDefined();
    const clicked = await api(server.url, null, 'GET', link as string);
    expect(clicked.status).toBe(200);
    const settings = await api<{ groups: Array<{ email: boolean }> }>(server.url, bo.token, 'GET', '/api/notification-settings');
    expect(settings.body.groups[0]?.email).toBe(false);
    const forged = await api(server.url, null, 'GET', `${(link as string).slice(0, -3)}xyz`);
    expect(forged.status).toBe(400);

    await api(server.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c3', 'Bo?', { mentions: [bo.id] }));
    await after(clock, 20 * MINUTE);
    expect(sink.received).toHaveLength(1);
  });

  it('keeps a mail the SMTP server refuses and sends it once the server takes mail again, backing off in between', async () => {
    const clock = testClock(MONDAY_MORNING);
    const { server, sink, member } = await start(clock);
    const anne = await member('Anne Jensen', null);
    const bo = await member('Bo Hansen', 'bo@kommune.example');
    sink.failNext(2);
    await api(server.url, anne.token, 'POST', `${ROOM}/annotations`, commentDraft('c1', 'Til Bo', { mentions: [bo.id] }));
    await after(clock, 15 * MINUTE);
    expect(sink.refused).toBe(1);
    const queued = async () => server.db.selectFrom('mail_outbox').select(['attempts', 'to_address']).execute();
    expect(await queued()).toEqual([{ attempts: 1, to_address: 'bo@kommune.example' }]);
    await after(clock, MINUTE); // due again after 1 minute: refused again, now waits 2
    expect(sink.refused).toBe(2);
    await after(clock, MINUTE);
    expect(sink.received).toEqual([]);
    await after(clock, MINUTE);
    expect(sink.received.map((m) => m.to)).toEqual(['bo@kommune.example']);
    expect(await queued()).toEqual([]);
    await after(clock, 10 * MINUTE);
    expect(sink.received).toHaveLength(1);
  });

  it('sends the digest the day before the meeting: unread comments per agenda item, once', async () => {
    const clock = testClock(MONDAY_MORNING);
    const { server, sink, member } = await start(clock, { delayMinutes: 24 * 60 });
    const anne = await member('Anne Jensen', null);
    const bo = await member('Bo Hansen', 'bo@kommune.example');
    const registered = await api<{ packetId: string }>(server.url, bo.token, 'POST', '/api/packets', {
      fingerprint: 'cd'.repeat(16),
      title: 'Socialudvalget 8. december',
      meetingDate: '2026-12-08',
    });
    const room = `/api/groups/udvalg/packets/${registered.body.packetId}/annotations`;
    const on = (item: number) => ({ page: 3, agendaItem: { number: item, title: `Punkt ${item}` } });
    await api(server.url, anne.token, 'POST', room, commentDraft('c5', 'Om punkt 5', { mentions: [bo.id], target: on(5) }));
    await api(server.url, anne.token, 'POST', room, commentDraft('c2', 'Om punkt 2', { mentions: [bo.id], target: on(2) }));
    await api(server.url, anne.token, 'POST', room, commentDraft('c3', 'Om punkt 3', { mentions: [bo.id], target: on(3) }));
    // Bo reads the one on item 3 before the digest.
    const inbox = await api<Array<{ id: string; annotationId: string }>>(server.url, bo.token, 'GET', '/api/notifications');
    const onThree = inbox.body.find((n) => n.annotationId === 'c3')?.id as string;
    await api(server.url, bo.token, 'POST', '/api/notifications/read', { ids: [onThree] });

    await after(clock, 6 * 60 * MINUTE); // 15:00 in Copenhagen: not yet
    expect(sink.received).toEqual([]);
    await after(clock, 61 * MINUTE); // past 16:00
    expect(sink.received.map((m) => m.subject)).toEqual(['Randnoter: ulæste kommentarer før mødet 08.12.2026']);
    const text = sink.received[0]?.text ?? '';
    expect(text).toContain('Mødet 08.12.2026: Socialudvalget 8. december');
    expect(text.indexOf('Punkt 2')).toBeGreaterThan(-1);
    expect(text.indexOf('Punkt 2')).toBeLessThan(text.indexOf('Punkt 5'));
    expect(text).not.toContain('Punkt 3');
    await after(clock, 60 * MINUTE);
    expect(sink.received.filter((m) => m.subject.includes('før mødet'))).toHaveLength(1);
  });
});
