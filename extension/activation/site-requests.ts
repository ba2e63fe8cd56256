/**
 * The background's answers to BackgroundRequests, each only to the sender it is meant for: the
 * hosts' change only from an extension page, a PDF takeover only from the top frame of a tab
 * whose address the settings say to take over (the page's own script cannot send either: web
 * pages cannot message an extension).
 */
import type { Browser } from 'wxt/browser';
import { type BackgroundRequest, isBackgroundRequest } from '../messaging/background-requests.ts';
import { type SiteAccess, takesOver } from './site-patterns.ts';

export interface SiteRequestDeps {
  ownId: string;
  /** The address of the extension's own pages (`chrome-extension://<id>/`, `moz-extension://<uuid>/`). */
  ownBase: string;
  sync(): Promise<void>;
  current(): Promise<SiteAccess>;
  openInViewer(tabId: number, url: string): Promise<unknown>;
}

type Sender = Pick<Browser.runtime.MessageSender, 'id' | 'url' | 'frameId'> & { tab?: { id?: number } };

/** A promise of the answer, or undefined when the message is not for this listener (or not from whom it must be). */
export function answerSiteRequest(message: unknown, sender: Sender, deps: SiteRequestDeps): Promise<true> | undefined {
  if (!isBackgroundRequest(message) || sender.id !== deps.ownId) return undefined;
  return answer(message, sender, deps);
}

function answer(request: BackgroundRequest, sender: Sender, deps: SiteRequestDeps): Promise<true> | undefined {
  switch (request.type) {
    case 'rn:sites-changed':
      if (!sender.url?.startsWith(deps.ownBase)) return undefined;
      return deps.sync().then(() => true as const);
    case 'rn:open-pdf': {
      const tabId = sender.tab?.id;
      const url = sender.url;
      if (tabId === undefined || sender.frameId !== 0 || !url) return undefined;
      return deps.current().then(async (sites) => {
        if (takesOver(sites, url)) await deps.openInViewer(tabId, url);
        return true as const;
      });
    }
  }
}
