/**
 * Between a page with a live notification socket (viewer, sidebar) and the background, which
 * keeps the toolbar badge (notifications/unread-badge.ts): the page opens a port of this name
 * while its socket is connected and posts the unread count whenever it changes; the port closing
 * (socket lost, page closed) tells the background to ask the server itself again.
 */

export const NOTIFY_PORT = 'rn:notify-live';

/** Page → background on the port: how many of the user's notifications are unread now. */
export interface UnreadReport {
  type: 'rn:unread';
  count: number;
}

export function isUnreadReport(message: unknown): message is UnreadReport {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'rn:unread' && typeof m.count === 'number' && Number.isInteger(m.count) && m.count >= 0;
}
