/**
 * Opens packets in the viewer: from the toolbar button on a PDF tab, from a link's context menu
 * ("Åbn i Randnoter"), and automatically for PDF documents on the sites that ask for it. Keeps
 * the page scripts on the active sites only, and the toolbar button activates a site
 * (activation/). Also closes storage to content scripts where the browser can, and tells content
 * scripts the one setting they need (the language), so they never read storage themselves. Keeps
 * the tokens of the sign-in through the organisation (auth/background-auth.ts).
 */
import { type Browser, browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { answerInPlaceFound } from '../activation/inplace-sidebar.ts';
import { startSites } from '../activation/start-sites.ts';
import { serveSignIn } from '../auth/background-auth.ts';
import { messages } from '../i18n/messages.ts';
import { answerPageSettings } from '../messaging/page-settings.ts';
import { acceptLivePorts, unreadCountFor } from '../notifications/background-unread.ts';
import { startUnreadBadge, type UnreadBadge } from '../notifications/unread-badge.ts';
import { loadSettings } from '../settings/settings.ts';
import { restrictStorageToExtension } from '../settings/storage-access.ts';

const MENU_ID = 'randnoter-open-link';
const ACTIVATE_MENU_ID = 'randnoter-activate-site';
const VIEWER = '/viewer.html';

export function viewerUrl(fileUrl: string): string {
  return `${(browser.runtime.getURL as (path: string) => string)(VIEWER)}?file=${encodeURIComponent(fileUrl)}`;
}

/** The link context menu: the linked document opens in a new tab next to the current one. */
export async function openLinkInViewer(linkUrl: string, tab?: Browser.tabs.Tab): Promise<void> {
  await browser.tabs.create({ url: viewerUrl(linkUrl), ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}) });
}

export default defineBackground(() => {
  // Every time the background starts; the onStartup listener makes the browser start it with the
  // profile, so the restriction holds whether or not the browser keeps it across restarts.
  void restrictStorageToExtension();
  browser.runtime.onStartup.addListener(() => void restrictStorageToExtension());
  const sites = startSites(browser, viewerUrl);
  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    const inPlace = answerInPlaceFound(message, sender, {
      ownId: browser.runtime.id,
      askTopFrame: (tabId, request) => browser.tabs.sendMessage(tabId, request, { frameId: 0 }),
    });
    if (inPlace) return inPlace;
    const pageSettings = answerPageSettings(message, sender, browser.runtime.id, loadSettings);
    if (!pageSettings) return sites.answer(message, sender);
    const tabId = sender.tab?.id;
    if (tabId !== undefined && sender.frameId === 0)
      void pageSettings.then(({ language }) => sites.pageScriptStarted(tabId, messages(language).appName));
    return pageSettings;
  });
  // The sign-in's tokens: kept and refreshed here only, handed to the extension's pages on request.
  let unread: UnreadBadge | null = null;
  const keeper = serveSignIn(() => void unread?.poll());
  // The unread count on the toolbar button: live from open packets, else asked every few minutes.
  unread = startUnreadBadge({
    action: browser.action,
    alarms: browser.alarms,
    fetchCount: async () => unreadCountFor(keeper, await loadSettings()),
  });
  acceptLivePorts(browser.runtime, unread);
  void unread.poll();

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_ID, title: 'Åbn i Randnoter', contexts: ['link'] });
    browser.contextMenus.create({ id: ACTIVATE_MENU_ID, title: 'Aktivér Randnoter på dette websted', contexts: ['action'] });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === ACTIVATE_MENU_ID && tab) void sites.activateTab(tab);
    if (info.menuItemId !== MENU_ID || !info.linkUrl) return;
    // The viewer fetches the packet from its own host with the user's cookies: ask for that host during the click.
    void sites.requestAccessFor(info.linkUrl);
    void openLinkInViewer(info.linkUrl, tab);
  });
  browser.action.onClicked.addListener((tab) => void sites.activateTab(tab));

  // The same entry points, for the browser console (and the end-to-end tests, which cannot click toolbar buttons).
  // pollUnread: what the alarm does every few minutes, at once.
  Object.assign(globalThis, { randnoter: { activateTab: sites.activateTab, openLinkInViewer, pollUnread: () => unread?.poll() } });
});
