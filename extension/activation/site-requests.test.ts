/**
 * The background answers "the sites changed" only to the extension's own pages, and takes a PDF
 * over only for the top frame of a tab on a site the settings name, whatever a page script says.
 */
import { describe, expect, it } from 'vitest';
import { OPEN_PDF, SITES_CHANGED } from '../messaging/background-requests.ts';
import type { SiteAccess } from './site-patterns.ts';
import { answerSiteRequest, type SiteRequestDeps } from './site-requests.ts';

const OWN_ID = 'randnoter-id';
const OWN_BASE = 'chrome-extension://randnoterid/';

function deps(sites: SiteAccess): SiteRequestDeps & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    ownId: OWN_ID,
    ownBase: OWN_BASE,
    sync: async () => {
      log.push('sync');
    },
    current: async () => sites,
    openInViewer: async (tabId, url) => {
      log.push(`viewer ${tabId} ${url}`);
    },
  };
}

const PORTALS: SiteAccess = { hosts: ['dagsorden.aarhus.dk'], takeover: 'listedHosts' };
const PACKET = 'https://dagsorden.aarhus.dk/pakke.pdf';

describe('requests to the background', () => {
  it('registers the sites anew for the options page, and answers once done', async () => {
    const d = deps(PORTALS);
    await expect(answerSiteRequest(SITES_CHANGED, { id: OWN_ID, url: `${OWN_BASE}options.html` }, d)).resolves.toBe(true);
    expect(d.log).toEqual(['sync']);
    // Not from an extension page (a page script's sender has the page's address), or not from this extension.
    expect(answerSiteRequest(SITES_CHANGED, { id: OWN_ID, url: 'https://dagsorden.aarhus.dk/' }, d)).toBeUndefined();
    expect(answerSiteRequest(SITES_CHANGED, { id: 'other', url: `${OWN_BASE}options.html` }, d)).toBeUndefined();
    expect(answerSiteRequest({ type: 'rn:something-else' }, { id: OWN_ID, url: `${OWN_BASE}options.html` }, d)).toBeUndefined();
  });

  it('opens a PDF tab in the viewer only on a site where the settings say so, and only its top frame', async () => {
    const d = deps(PORTALS);
    await answerSiteRequest(OPEN_PDF, { id: OWN_ID, url: PACKET, frameId: 0, tab: { id: 4 } }, d);
    expect(d.log).toEqual([`viewer 4 ${PACKET}`]);

    const off = deps({ ...PORTALS, takeover: 'off' });
    await answerSiteRequest(OPEN_PDF, { id: OWN_ID, url: PACKET, frameId: 0, tab: { id: 4 } }, off);
    await answerSiteRequest(OPEN_PDF, { id: OWN_ID, url: 'https://www.kk.dk/pakke.pdf', frameId: 0, tab: { id: 4 } }, d);
    expect(off.log).toEqual([]);
    expect(d.log).toHaveLength(1);
    expect(answerSiteRequest(OPEN_PDF, { id: OWN_ID, url: PACKET, frameId: 3, tab: { id: 4 } }, d)).toBeUndefined();
    expect(answerSiteRequest(OPEN_PDF, { id: OWN_ID, url: PACKET, frameId: 0 }, d)).toBeUndefined();
  });
});
