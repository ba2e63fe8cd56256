/**
 * The toolbar badge: how many notifications are unread (docs/NOTIFICATIONS.md), kept current in
 * the background while the browser runs. A viewer or sidebar with a live socket (`?notify=1`)
 * reports the count whenever it changes (message 101, a notification read); with no such page
 * open, an alarm asks the server every few minutes instead, and only when signed in.
 */
import type { browser } from 'wxt/browser';

type Api = typeof browser;

/** Every few minutes is enough for a fallback: an open packet hears of it within a second. */
export const UNREAD_POLL_MINUTES = 5;
export const UNREAD_ALARM = 'rn:unread-poll';
/** The toolbar has room for three characters. */
const MOST_SHOWN = 99;
const BADGE_COLOUR = '#b3261e';

export interface UnreadBadgeDeps {
  action: Pick<Api['action'], 'setBadgeText' | 'setBadgeBackgroundColor'>;
  alarms: Pick<Api['alarms'], 'create' | 'get' | 'onAlarm'>;
  /** The unread count from the server; null when nobody is signed in. Rejects when the server was not reached. */
  fetchCount(): Promise<number | null>;
}

export interface UnreadBadge {
  /** A page's live socket reports the count; while any is open, the alarm does not poll. */
  liveOpened(source: object): void;
  liveCount(source: object, count: number): void;
  /** Its page closed: with no live page left, the server is asked at once and then by the alarm. */
  liveClosed(source: object): void;
  /** Asks the server now (started, signed in or out), unless a live page keeps the count. */
  poll(): Promise<void>;
  destroy(): void;
}

/** What the badge says for a count: nothing for none, at most "99+". */
export function badgeText(count: number | null): string {
  if (count === null || count <= 0) return '';
  return count > MOST_SHOWN ? `${MOST_SHOWN}+` : String(count);
}

export function startUnreadBadge(deps: UnreadBadgeDeps): UnreadBadge {
  const live = new Set<object>();
  let shown: string | null = null;
  const show = async (count: number | null) => {
    const text = badgeText(count);
    if (text === shown) return;
    shown = text;
    await deps.action.setBadgeBackgroundColor({ color: BADGE_COLOUR });
    await deps.action.setBadgeText({ text });
  };
  const poll = async () => {
    if (live.size > 0) return;
    let count: number | null;
    try {
      count = await deps.fetchCount();
    } catch {
      return; // not reached: keep what is shown, ask again at the next alarm
    }
    // A page may have opened meanwhile: its count is the newer.
    if (live.size === 0) await show(count);
  };
  const onAlarm = (alarm: { name: string }) => {
    if (alarm.name === UNREAD_ALARM) void poll();
  };
  deps.alarms.onAlarm.addListener(onAlarm);
  // The background starts again and again (a service worker ends when idle): made once, not put off each time.
  void deps.alarms.get(UNREAD_ALARM).then((alarm) => {
    if (!alarm) return deps.alarms.create(UNREAD_ALARM, { periodInMinutes: UNREAD_POLL_MINUTES });
  });

  return {
    liveOpened: (source) => void live.add(source),
    liveCount(source, count) {
      live.add(source);
      void show(count);
    },
    liveClosed(source) {
      live.delete(source);
      if (live.size === 0) void poll();
    },
    poll,
    destroy: () => deps.alarms.onAlarm.removeListener(onAlarm),
  };
}
