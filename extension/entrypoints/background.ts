/**
 * Opens packets in the viewer: from the toolbar button on a PDF tab, from a link's context menu
 * ("Åbn i Randnoter"), and automatically for PDF navigations when the user asked for that.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { loadSettings } from '../settings/settings.ts';

const MENU_ID = 'randnoter-open-link';

function viewerUrl(fileUrl: string): string {
  return `${browser.runtime.getURL('/viewer.html')}?file=${encodeURIComponent(fileUrl)}`;
}

function looksLikePdf(url: string | undefined): url is string {
  if (!url || !/^(https?|file):/i.test(url)) return false;
  try {
    return new URL(url).pathname.toLowerCase().endsWith('.pdf');
  } catch {
    return false;
  }
}

export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_ID, title: 'Åbn i Randnoter', contexts: ['link'] });
  });

  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || !info.linkUrl) return;
    void browser.tabs.create({ url: viewerUrl(info.linkUrl), ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}) });
  });

  browser.action.onClicked.addListener((tab) => {
    if (tab.id === undefined) return;
    // Any http(s) page may serve a PDF without ".pdf" in its address: the viewer reports it if not.
    if (tab.url && /^(https?|file):/i.test(tab.url)) void browser.tabs.update(tab.id, { url: viewerUrl(tab.url) });
    else void browser.runtime.openOptionsPage();
  });

  browser.webNavigation?.onBeforeNavigate.addListener(async (details) => {
    if (details.frameId !== 0 || !looksLikePdf(details.url)) return;
    if (!(await loadSettings()).autoOpenPdfs) return;
    void browser.tabs.update(details.tabId, { url: viewerUrl(details.url) });
  });
});
