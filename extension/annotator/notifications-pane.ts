/**
 * "Til mig" in an open packet: the inbox (notifications/inbox.ts) drawn in the Overblik's third
 * tab, the tab named with the unread count, and what choosing a notification does: on this packet
 * the comment's card is focused (which reads it); on another packet that was opened here before,
 * that packet opens in a new tab at the comment (Randnoter's viewer by a parameter, a web page
 * through storage); otherwise the user is told where it is.
 */
import type { Notification } from '@randnoter/shared/protocol/http-api';
import { browser } from 'wxt/browser';
import { withRenewal } from '../auth/page-access.ts';
import { createInboxPanel, type InboxPanel } from '../components/inbox-panel.ts';
import type { Messages } from '../i18n/messages.ts';
import { problemOf } from '../i18n/problems.ts';
import { NOTIFY_PORT, type UnreadReport } from '../messaging/notify-messages.ts';
import { openInbox } from '../notifications/inbox.ts';
import type { Settings } from '../settings/settings.ts';
import type { SharedComments } from '../sync/shared-comments.ts';
import type { Controller } from './controller.ts';
import type { Session } from './session.ts';
import type { ViewModel } from './view-model.ts';

/** The query parameter of viewer.html naming a comment to focus once the packet is shown. */
export const FOCUS_PARAM = 'annotation';

const openUrlKey = (namespace: string, packetId: string) => `${namespace}/packet-open/${packetId}`;

/**
 * A comment to focus when a web page (an HTML agenda, a portal's viewer) next shows its packet:
 * such a page opens at its own address, which cannot carry it. Kept briefly, taken once.
 */
const focusKey = (namespace: string, packetId: string) => `${namespace}/focus-on-open/${packetId}`;
const FOCUS_KEPT_MS = 2 * 60_000;

/** The address that opens `url` at a comment: the viewer takes it as a parameter; a web page opens as it is (and reads focusKey). */
function atComment(url: string, annotationId: string): { url: string; viewer: boolean } {
  const viewer = (browser.runtime.getURL as (path: string) => string)('/viewer.html');
  if (!url.startsWith(viewer)) return { url, viewer: false };
  const address = new URL(url);
  address.searchParams.set(FOCUS_PARAM, annotationId);
  return { url: address.href, viewer: true };
}

/** The comment another page asked this packet to focus on opening, if it asked lately; the request is used up. */
async function takeFocusRequest(namespace: string, packetId: string, now: number): Promise<string | null> {
  const key = focusKey(namespace, packetId);
  const asked = (await browser.storage.local.get(key))[key] as { annotationId?: unknown; until?: unknown } | undefined;
  if (asked === undefined) return null;
  await browser.storage.local.remove(key);
  return typeof asked.annotationId === 'string' && typeof asked.until === 'number' && asked.until > now ? asked.annotationId : null;
}

/**
 * The port to the background that says this page is live. The browser ends a background service
 * worker when it is idle, which disconnects the port: the next count opens a new one, so the
 * restarted background hears of this page again.
 */
function livePort(): { postMessage(message: UnreadReport): void; disconnect(): void } {
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  let closed = false;
  const open = () => {
    const opened = browser.runtime.connect({ name: NOTIFY_PORT });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
    });
    port = opened;
    return opened;
  };
  open();
  return {
    postMessage(message) {
      if (closed) return;
      try {
        (port ?? open()).postMessage(message);
      } catch {
        port = null; // disconnected meanwhile: the next count opens a new one
      }
    },
    disconnect() {
      closed = true;
      port?.disconnect();
      port = null;
    },
  };
}

export interface NotificationsPane {
  /** For the notes socket: the JSON of a message 101. */
  received(json: string): void;
  setLive(live: boolean): void;
  /** A card was focused: its comment is read. */
  read(annotationId: string): void;
  attach(controller: Controller, shared: SharedComments | null, focusOnOpen: string | null): void;
  /** After every redraw: a comment asked for on opening is focused once it is shown. */
  modelShown(model: ViewModel): void;
  destroy(): void;
}

export function openNotificationsPane(deps: { t: Messages; session: Session; settings: Settings; openUrl: string }): NotificationsPane {
  const { t, session } = deps;
  const { access } = session;
  const inbox = openInbox({
    identity: session.identity,
    packetId: session.packetId,
    connect: livePort,
    withRenewal: (call) => (access ? withRenewal(access, call) : call()),
  });
  // This packet can be opened again from another packet's inbox.
  if (!session.provisional)
    void browser.storage.local.set({ [openUrlKey(session.namespace, session.packetId)]: deps.openUrl }).catch(() => {});

  let controller: Controller | null = null;
  let shared: SharedComments | null = null;
  let panel: InboxPanel | null = null;
  let pendingFocus: string | null = null;

  const draw = () => {
    if (!controller || !panel) return;
    const unread = inbox.unread();
    controller.overview.labelInbox(unread > 0 ? `${t.inboxTab} (${unread})` : t.inboxTab);
    panel.render({ items: inbox.items(), packetId: session.packetId, titles: inbox.titles(), older: inbox.hasOlder() });
  };

  const isShown = (annotationId: string) => (shared?.annotations() ?? []).some((a) => a.id === annotationId);

  async function open(n: Notification): Promise<void> {
    if (!controller || !panel) return;
    panel.say(null);
    if (n.packetId === session.packetId) {
      if (isShown(n.annotationId)) controller.focus(n.annotationId, true);
      else panel.say(t.inboxCommentGone);
      return;
    }
    const title = inbox.titles().get(n.packetId) ?? t.inboxUntitled;
    const key = openUrlKey(session.namespace, n.packetId);
    const url = (await browser.storage.local.get(key))[key];
    if (typeof url !== 'string') {
      panel.say(t.inboxUnknownPacket(title));
      return;
    }
    panel.say(t.inboxOtherPacket(title));
    const at = atComment(url, n.annotationId);
    if (!at.viewer) {
      await browser.storage.local.set({
        [focusKey(session.namespace, n.packetId)]: { annotationId: n.annotationId, until: Date.now() + FOCUS_KEPT_MS },
      });
    }
    await browser.tabs.create({ url: at.url });
  }

  /** Focuses the comment asked for on opening, once it is shown (after a redraw, or now). */
  function focusPending(): void {
    if (!pendingFocus || !controller || !isShown(pendingFocus)) return;
    const id = pendingFocus;
    pendingFocus = null;
    controller.focus(id, true);
  }

  return {
    received: (json) => inbox.received(json),
    setLive: (live) => inbox.setLive(live),
    // Private notes have no notifications: only a shared comment's focus is worth telling the server.
    read: (annotationId) => {
      if (isShown(annotationId)) void inbox.readComment(annotationId);
    },
    attach(to, comments, focusOnOpen) {
      controller = to;
      shared = comments;
      pendingFocus = focusOnOpen;
      // A web page opened from another packet's inbox: the comment to focus was left in storage.
      if (!focusOnOpen && !session.provisional)
        void takeFocusRequest(session.namespace, session.packetId, Date.now()).then((id) => {
          if (!id || pendingFocus) return;
          pendingFocus = id;
          focusPending();
        });
      const host = to.overview.inboxHost;
      if (!host) return;
      panel = createInboxPanel(host, t, deps.settings.language, {
        open: (n) => void open(n),
        readPacket: (packetId) => void inbox.readPacket(packetId),
        showOlder: () => void inbox.showOlder(),
      });
      inbox.onChange(draw);
      inbox.onProblem((error) => panel?.say(t.problem[problemOf(error)]));
      draw();
    },
    modelShown: () => focusPending(),
    destroy: () => inbox.destroy(),
  };
}
