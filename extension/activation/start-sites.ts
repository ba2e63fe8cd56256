/**
 * The background's share of "active only where allowed", put together with the browser's APIs:
 * page scripts registered for the active hosts (follow-sites.ts), PDFs taken over on them (a page
 * script, or webRequest where the manifest has it: Firefox), the toolbar button (activate-site.ts),
 * and the link menu's access to the linked packet's host.
 */
import type { Browser, browser as wxtBrowser } from 'wxt/browser';
import type { PageRequest } from '../messaging/sidebar-messages.ts';
import { loadPolicy, loadUserSettings, saveSettings, watchSettings } from '../settings/settings.ts';
import { activateTab } from './activate-site.ts';
import { followSites } from './follow-sites.ts';
import { requestHostAccess } from './host-access.ts';
import { AGENDA_SCRIPT_FILE, type ScriptingLike } from './page-scripts.ts';
import { takeOverPdfResponses, type WebRequestLike } from './pdf-responses.ts';
import { hostOfUrl, patternOf, siteAccessOf } from './site-patterns.ts';
import { answerSiteRequest } from './site-requests.ts';

type BrowserApi = typeof wxtBrowser;

export interface Sites {
  /** The toolbar button and its "Aktivér Randnoter på dette websted". */
  activateTab(tab: Browser.tabs.Tab): Promise<void>;
  /** Asks for the host of a packet about to open in the viewer (call it first in the user's click). */
  requestAccessFor(url: string): Promise<boolean>;
  /** runtime.onMessage: answers the options page and the PDF-takeover script. */
  answer(message: unknown, sender: Browser.runtime.MessageSender): Promise<true> | undefined;
  /** A page script started in this tab: the button there no longer says "Aktivér". */
  pageScriptStarted(tabId: number, title: string): void;
}

export function startSites(api: BrowserApi, viewerUrl: (fileUrl: string) => string): Sites {
  const openInViewer = (tabId: number, url: string) => api.tabs.update(tabId, { url: viewerUrl(url) });
  // Only Firefox's manifest asks for webRequest (docs/DEPLOYMENT.md); elsewhere a page script looks at the document's type.
  const webRequest = (api as { webRequest?: WebRequestLike }).webRequest;
  const sites = followSites({
    load: async () => siteAccessOf(await loadUserSettings(), await loadPolicy()),
    scripting: api.scripting as unknown as ScriptingLike,
    takeoverByScript: webRequest === undefined,
    watch: (onChange) => watchSettings(onChange),
  });
  if (webRequest) takeOverPdfResponses(webRequest, { current: sites.current, openInViewer });

  const addUserHost = async (host: string) => {
    const user = await loadUserSettings();
    if (!user.meetingHosts.includes(host)) await saveSettings({ ...user, meetingHosts: [...user.meetingHosts, host] });
  };
  const ownBase = (api.runtime.getURL as (path: string) => string)('/');

  return {
    activateTab: (tab) =>
      activateTab(tab, {
        permissions: api.permissions,
        current: sites.current,
        addUserHost,
        sync: sites.sync,
        askPage: (tabId: number, request: PageRequest) => api.tabs.sendMessage(tabId, request, { frameId: 0 }),
        injectPageScript: (tabId) => api.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [AGENDA_SCRIPT_FILE] }),
        openInViewer,
        openOptions: () => api.runtime.openOptionsPage(),
        pause: () => new Promise((resolve) => setTimeout(resolve, 100)),
      }),
    requestAccessFor: (url) => {
      const host = hostOfUrl(url);
      return host ? requestHostAccess(api.permissions, [patternOf(host)]) : Promise.resolve(false);
    },
    answer: (message, sender) =>
      answerSiteRequest(message, sender, { ownId: api.runtime.id, ownBase, sync: sites.sync, current: sites.current, openInViewer }),
    pageScriptStarted: (tabId, title) => void api.action.setTitle({ tabId, title }).catch(() => {}),
  };
}
