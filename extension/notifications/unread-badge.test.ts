import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeText, startUnreadBadge, UNREAD_ALARM, UNREAD_POLL_MINUTES } from './unread-badge.ts';

const badge = () => fakeBrowser.action.getBadgeText({});
const fireAlarm = () =>
  fakeBrowser.alarms.onAlarm.trigger({
    name: UNREAD_ALARM,
    scheduledTime: Date.now(),
    periodInMinutes: UNREAD_POLL_MINUTES,
    persistAcrossSessions: true,
  });
/** Polls (vi.waitFor retries only while the check throws). */
const until = (check: () => Promise<boolean>) =>
  vi.waitFor(async () => {
    if (!(await check())) throw new Error('not yet');
  });

describe('the unread badge', () => {
  beforeEach(() => fakeBrowser.reset());

  const start = (counts: Array<number | null | Error>) => {
    const asked = { n: 0 };
    const unread = startUnreadBadge({
      action: fakeBrowser.action,
      alarms: fakeBrowser.alarms,
      fetchCount: async () => {
        const next = counts[Math.min(asked.n++, counts.length - 1)];
        if (next instanceof Error) throw next;
        return next ?? null;
      },
    });
    return { unread, asked };
  };

  it('says nothing for none, the number up to 99, and 99+ beyond', () => {
    expect(badgeText(null)).toBe('');
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });

  it('asks the server every few minutes by an alarm, keeps the count when the server is not reached, and clears it when signed out', async () => {
    const { unread, asked } = start([3, new Error('offline'), null]);
    await until(async () => (await fakeBrowser.alarms.get(UNREAD_ALARM))?.periodInMinutes === UNREAD_POLL_MINUTES);
    await unread.poll();
    expect(await badge()).toBe('3');
    await fireAlarm();
    await until(async () => asked.n === 2);
    expect(await badge()).toBe('3');
    await fireAlarm();
    await until(async () => (await badge()) === '');
    expect(asked.n).toBe(3);
  });

  it('makes its alarm once: a background started again does not put off the next poll', async () => {
    start([1]);
    await until(async () => (await fakeBrowser.alarms.get(UNREAD_ALARM)) !== undefined);
    const first = await fakeBrowser.alarms.get(UNREAD_ALARM);
    // A later start, by the clock: an alarm made anew would be scheduled from then.
    const then = Date.now();
    await until(async () => Date.now() > then);
    start([1]);
    await until(async () => (await fakeBrowser.alarms.getAll()).length === 1);
    expect(await fakeBrowser.alarms.get(UNREAD_ALARM)).toEqual(first);
  });

  it('follows an open page live and does not poll while one is open; the last page closing asks the server again', async () => {
    const { unread, asked } = start([5]);
    const viewer = {};
    const sidebar = {};
    unread.liveCount(viewer, 1);
    await until(async () => (await badge()) === '1');
    unread.liveOpened(sidebar);
    unread.liveCount(sidebar, 2);
    await until(async () => (await badge()) === '2');
    await fireAlarm();
    await unread.poll();
    expect(asked.n).toBe(0);
    unread.liveClosed(viewer);
    expect(asked.n).toBe(0);
    unread.liveCount(sidebar, 0);
    await until(async () => (await badge()) === '');
    unread.liveClosed(sidebar);
    await until(async () => (await badge()) === '5');
    expect(asked.n).toBe(1);
  });
});
