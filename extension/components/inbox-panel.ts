/**
 * "Til mig": the user's notifications as a list, newest first. Each entry says who did what in
 * plain words ("Anne Jensen nævnte dig"), where (packet, agenda item) and the quoted text, and is
 * a button that opens the comment. "Markér alle som læst" marks the open packet's read. Renders
 * plain data; what choosing does goes back through `handlers`.
 */
import type { Notification } from '@randnoter/shared/protocol/http-api';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

interface InboxView {
  items: readonly Notification[];
  /** The packet open here: its notifications say "Denne pakke" and can be marked read at once. */
  packetId: string;
  titles: ReadonlyMap<string, string | null>;
  /** There are older notifications than these: "Vis ældre" shows the next page. */
  older: boolean;
}

export interface InboxHandlers {
  open(notification: Notification): void;
  readPacket(packetId: string): void;
  showOlder(): void;
}

export interface InboxPanel {
  render(view: InboxView): void;
  /** A sentence about the last choice (another packet, a comment gone), or null. */
  say(text: string | null): void;
}

export function createInboxPanel(host: HTMLElement, t: Messages, language: string, handlers: InboxHandlers): InboxPanel {
  const time = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'da-DK', { dateStyle: 'short', timeStyle: 'short' });
  let packetId = '';
  const markAll = h('button', { type: 'button', class: 'rn-inbox-mark-all', onclick: () => handlers.readPacket(packetId) }, t.inboxMarkAll);
  const message = h('p', { class: 'rn-notice', role: 'alert', hidden: true });
  const list = h('ul', { class: 'rn-inbox-list' });
  const empty = h('p', { class: 'rn-empty' }, t.inboxEmpty);
  const older = h('button', { type: 'button', class: 'rn-inbox-older', hidden: true, onclick: () => handlers.showOlder() }, t.inboxOlder);
  host.replaceChildren(h('div', { class: 'rn-overview-actions' }, markAll), message, list, empty, older);

  const entry = (n: Notification, titles: ReadonlyMap<string, string | null>) => {
    const packet = n.packetId === packetId ? t.inboxThisPacket : (titles.get(n.packetId) ?? t.inboxUntitled);
    const meta = [packet, n.itemNumber !== undefined ? t.inboxItem(n.itemNumber) : null, time.format(new Date(n.created))]
      .filter(Boolean)
      .join(' · ');
    const button = h(
      'button',
      { type: 'button', class: `rn-inbox-entry${n.read ? '' : ' rn-unread'}`, 'data-notification-id': n.id },
      h('span', { class: 'rn-inbox-headline' }, t.inboxHeadline(n.actor.name, n.reason)),
      n.read ? null : h('span', { class: 'rn-badge' }, t.inboxUnread),
      h('span', { class: 'rn-inbox-meta' }, meta),
      n.quote ? h('span', { class: 'rn-quote rn-inbox-quote' }, n.quote) : null,
    );
    button.addEventListener('click', () => handlers.open(n));
    return h('li', {}, button);
  };

  return {
    render(view) {
      packetId = view.packetId;
      // The focused entry keeps the focus across a redraw (a notification arriving, one read).
      const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.notificationId;
      list.replaceChildren(...view.items.map((n) => entry(n, view.titles)));
      empty.hidden = view.items.length > 0;
      list.hidden = view.items.length === 0;
      markAll.hidden = !view.items.some((n) => n.packetId === view.packetId && !n.read);
      // The button goes once the last page shows: the focus then stays in the list, on its last entry.
      if (older === document.activeElement && !view.older) list.querySelector<HTMLElement>('li:last-child button')?.focus();
      older.hidden = !view.older;
      if (focusedId) list.querySelector<HTMLElement>(`[data-notification-id="${CSS.escape(focusedId)}"]`)?.focus();
    },
    say(text) {
      message.hidden = text === null;
      message.textContent = text ?? '';
    },
  };
}
