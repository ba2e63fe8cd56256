/**
 * Opens packets in the viewer: from the toolbar button on a PDF tab, from a link's context menu
 * ("Åbn i Randnoter"), and automatically for PDF documents when the user asked for that. Also
 * closes storage to content scripts where the browser can, and tells content scripts the one
 * setting they need (the language), so they never read storage themselves. Keeps the tokens of
 * the sign-in through the organisation (auth/background-auth.ts).
 */
import { type Browser, browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { serveSignIn } from '../auth/background-auth.ts';
import { answerPageSettings } from '../messaging/page-settings.ts';
import type { PageRequest } from '../messaging/sidebar-messages.ts';
import { loadSettings } from '../settings/settings.ts';
import { restrictStorageToExtension } from '../settings/storage-access.ts';

const MENU_ID = 'randnoter-open-link';
const VIEWER = '/viewer.html';

export function viewerUrl(fileUrl: string): string {
  return `${(browser.runtime.getURL as (path: string) => string)(VIEWER)}?file=${encodeURIComponent(fileUrl)}`;
}

const isWebUrl = (url: string | undefined): url is string => url !== undefined && /^(https?|file):/i.test(url);

/**
 * The toolbar button: on an HTML page the content script shows or hides the sidebar; anything
 * else with a web address (a PDF) opens in the viewer, which says so if it is not a PDF.
 */
export async function openTabInViewer(tab: Browser.tabs.Tab): Promise<void> {
  if (tab.id === undefined || !isWebUrl(tab.url)) {
    await browser.runtime.openOptionsPage();
    return;
  }
  const toggled = await browser.tabs
    .sendMessage(tab.id, { type: 'rn:toggle-sidebar' } satisfies PageRequest, { frameId: 0 })
    .catch(() => false);
  if (toggled !== true) await browser.tabs.update(tab.id, { url: viewerUrl(tab.url) });
}

/** The link context menu: the linked document opens in a new tab next to the current one. */
export async function openLinkInViewer(linkUrl: string, tab?: Browser.tabs.Tab): Promise<void> {
  await browser.tabs.create({ url: viewerUrl(linkUrl), ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}) });
}

function isPdfResponse(headers: Browser.webRequest.HttpHeader[] | undefined): boolean {
  const type = headers?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  return type.toLowerCase().split(';')[0]?.trim() === 'application/pdf';
}

export default defineBackground(() => {
  // Every time the background starts; the onStartup listener makes the browser start it with the
  // profile, so the restriction holds whether or not the browser keeps it across restarts.
  void restrictStorageToExtension();
  browser.runtime.onStartup.addListener(() => void restrictStorageToExtension());
  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) =>
    answerPageSettings(message, sender, browser.runtime.id, loadSettings),
  );
  // The sign-in's tokens: kept and refreshed here only, handed to the extension's pages on request.
  serveSignIn();

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_ID, title: 'Åbn i Randnoter', contexts: ['link'] });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === MENU_ID && info.linkUrl) void openLinkInViewer(info.linkUrl, tab);
  });
  browser.action.onClicked.addListener((tab) => void openTabInViewer(tab));

  // Automatic opening looks at what the server says it sent, so PDFs without ".pdf" in the address count too.
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      if (details.tabId < 0 || !isPdfResponse(details.responseHeaders)) return;
      void loadSettings().then((settings) => {
        if (settings.autoOpenPdfs) void browser.tabs.update(details.tabId, { url: viewerUrl(details.url) });
      });
    },
    { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] },
    ['responseHeaders'],
  );

  // The same entry points, for the browser console (and the end-to-end tests, which cannot click toolbar buttons).
  Object.assign(globalThis, { randnoter: { openTabInViewer, openLinkInViewer } });
});
