import type { Notification } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UnreadReport } from '../messaging/notify-messages.ts';
import { openInbox } from './inbox.ts';

const identity = { serverUrl: 'https://randnoter.example', token: 't0ken' };

const note = (id: string, annotationId: string, extra: Partial<Notification> = {}): Notification => ({
  id,
  reason: 'mention',
  actor: { id: 'u-anne', name: 'Anne Jensen' },
  groupId: 'social',
  packetId: 'p1',
  annotationId,
  quote: 'Louise Rohde',
  created: '2026-12-07T10:00:00.000Z',
  read: false,
  ...extra,
});

/** The platform's fetch in front of a tiny notification store, as the server's routes answer (pages of `pageSize`). */
function fakeServer(stored: Notification[], pageSize = 50) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const address = new URL(url);
    const path = address.pathname;
    asked.push(`${init.method ?? 'GET'} ${path}${address.search}${typeof init.body === 'string' ? ` ${init.body}` : ''}`);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
    if (path === '/api/notifications') {
      const before = address.searchParams.get('before');
      const page = [...stored].sort((a, b) => Number(b.id) - Number(a.id)).filter((n) => before === null || Number(n.id) < Number(before));
      return json(page.slice(0, pageSize));
    }
    if (path === '/api/notifications/unread-count') return json({ count: stored.filter((n) => !n.read).length });
    if (path === '/api/packets') return json({ packets: [{ packetId: 'p2', title: 'Byrådet 24. januar' }] });
    if (path === '/api/notifications/read') {
      const body = JSON.parse(String(init.body)) as { ids?: string[]; packetId?: string; annotationIds?: string[] };
      const chosen = (n: Notification) =>
        body.ids
          ? body.ids.includes(n.id)
          : n.packetId === body.packetId && (body.annotationIds === undefined || body.annotationIds.includes(n.annotationId));
      let read = 0;
      for (const n of stored) {
        if (!n.read && chosen(n)) {
          n.read = true;
          read++;
        }
      }
      return json({ read });
    }
    return new Response(JSON.stringify({ error: 'not found' }), { status: 404 });
  });
  return asked;
}

const start = () => {
  const reports: number[] = [];
  const port = { connected: false };
  const inbox = openInbox({
    identity,
    packetId: 'p1',
    connect: () => {
      port.connected = true;
      return {
        postMessage: (m: UnreadReport) => void reports.push(m.count),
        disconnect: () => {
          port.connected = false;
        },
      };
    },
    withRenewal: (call) => call(),
  });
  return { inbox, reports, port };
};

/** Polls (vi.waitFor retries only while the check throws). */
const until = (check: () => boolean) =>
  vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });

describe('the inbox of an open packet', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fetches the list when its socket connects, reports the count to the background only while connected, and adds message 101 at once', async () => {
    const stored = [note('1', 'c1', { read: true }), note('2', 'c2', { packetId: 'p2' })];
    fakeServer(stored);
    const { inbox, reports, port } = start();
    inbox.setLive(true);
    await until(() => inbox.items().length === 2);
    expect(inbox.items().map((n) => n.id)).toEqual(['2', '1']);
    expect(inbox.unread()).toBe(1);
    await until(() => inbox.titles().get('p2') === 'Byrådet 24. januar');
    expect(reports.at(-1)).toBe(1);

    stored.push(note('10', 'c3'));
    inbox.received(JSON.stringify(stored[2]));
    // Shown at once, newest first (id 10 is newer than 2: ids are compared as numbers).
    expect(inbox.items().map((n) => n.id)).toEqual(['10', '2', '1']);
    expect(inbox.unread()).toBe(2);
    // A repeat, or something that is not a notification, changes nothing.
    inbox.received(JSON.stringify(stored[2]));
    inbox.received('{"id": 5}');
    inbox.received('not json');
    expect(inbox.items()).toHaveLength(3);
    await until(() => reports.at(-1) === 2);

    inbox.setLive(false);
    expect(port.connected).toBe(false);
    const before = reports.length;
    await inbox.readPacket('p1');
    expect(reports.length).toBe(before);
  });

  it('shows older pages on request, offering them only when there are some', async () => {
    const stored = Array.from({ length: 5 }, (_, i) => note(String(i + 1), `c${i + 1}`));
    const asked = fakeServer(stored, 2);
    const { inbox } = start();
    inbox.setLive(true);
    await until(() => inbox.items().length === 2 && inbox.hasOlder());
    expect(inbox.items().map((n) => n.id)).toEqual(['5', '4']);
    expect(asked).toContain('GET /api/notifications?before=4');
    await inbox.showOlder();
    expect(inbox.items().map((n) => n.id)).toEqual(['5', '4', '3', '2']);
    await until(() => inbox.hasOlder());
    await inbox.showOlder();
    expect(inbox.items().map((n) => n.id)).toEqual(['5', '4', '3', '2', '1']);
    // Nothing older than 1: the button goes.
    await until(() => asked.includes('GET /api/notifications?before=1'));
    await until(() => !inbox.hasOlder());
    await inbox.showOlder();
    expect(inbox.items()).toHaveLength(5);
  });

  it("reads a comment's notifications when its card is focused, also when the focus came before the list", async () => {
    const stored = [note('1', 'c1'), note('2', 'c1', { reason: 'follow' }), note('3', 'c2'), note('4', 'c1', { packetId: 'p2' })];
    const asked = fakeServer(stored);
    const { inbox, reports } = start();
    // Opened from another packet's inbox at c1: the card is focused before the list has come.
    await inbox.readComment('c1');
    expect(asked).toContain('POST /api/notifications/read {"packetId":"p1","annotationIds":["c1"]}');
    expect(stored.map((n) => n.read)).toEqual([true, true, false, false]);
    inbox.setLive(true);
    await until(() => inbox.items().length === 4 && inbox.unread() === 2 && reports.at(-1) === 2);
    expect(
      inbox
        .items()
        .filter((n) => !n.read)
        .map((n) => n.id),
    ).toEqual(['4', '3']);
    // Read again: nothing more to send.
    const sent = asked.length;
    await inbox.readComment('c1');
    expect(asked.length).toBe(sent);
    await inbox.readComment('c2');
    await until(() => inbox.unread() === 1);

    await inbox.readPacket('p2');
    expect(asked).toContain('POST /api/notifications/read {"packetId":"p2"}');
    expect(inbox.unread()).toBe(0);
    expect(inbox.items().every((n) => n.read)).toBe(true);
    expect(reports.at(-1)).toBe(0);
  });
});
