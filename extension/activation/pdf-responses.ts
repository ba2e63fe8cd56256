/**
 * Firefox runs no extension script in its own PDF viewer, so there the background takes PDFs over
 * by their response headers (webRequest). The browser shows it only responses from hosts the
 * extension has access to, and it acts only on those the settings say to take over.
 */
import type { Browser } from 'wxt/browser';
import { type SiteAccess, takesOver } from './site-patterns.ts';

type HeadersReceived = Pick<Browser.webRequest.OnHeadersReceivedDetails, 'tabId' | 'url' | 'responseHeaders'>;

export interface WebRequestLike {
  onHeadersReceived: {
    addListener(
      callback: (details: HeadersReceived) => void,
      filter: { urls: string[]; types: Array<'main_frame'> },
      extraInfoSpec: Array<'responseHeaders'>,
    ): void;
  };
}

function isPdfResponse(headers: Browser.webRequest.HttpHeader[] | undefined): boolean {
  const type = headers?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  return type.toLowerCase().split(';')[0]?.trim() === 'application/pdf';
}

export function takeOverPdfResponses(
  webRequest: WebRequestLike,
  deps: { current(): Promise<SiteAccess>; openInViewer(tabId: number, url: string): Promise<unknown> },
): void {
  webRequest.onHeadersReceived.addListener(
    (details) => {
      if (details.tabId < 0 || !isPdfResponse(details.responseHeaders)) return;
      void deps.current().then((sites) => {
        if (takesOver(sites, details.url)) void deps.openInViewer(details.tabId, details.url);
      });
    },
    // Listed once, at the background's start, so a sleeping background wakes for it; narrowed by the settings above.
    { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] },
    ['responseHeaders'],
  );
}
