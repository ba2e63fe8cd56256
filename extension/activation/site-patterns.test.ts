/**
 * The sites where Randnoter is active: what a user may type as a meeting portal, the organisation's
 * sites first, and where PDFs open in the viewer by themselves.
 */
import { describe, expect, it } from 'vitest';
import { hostCovers, isActiveOn, parseHostEntry, patternOf, siteAccessOf, takesOver } from './site-patterns.ts';

describe('a meeting portal as typed', () => {
  it('keeps the host of a name, an address or a *.domain, lower-cased, without port or path', () => {
    expect(parseHostEntry('  Dagsorden.Aarhus.dk ')).toBe('dagsorden.aarhus.dk');
    expect(parseHostEntry('https://dagsorden.aarhus.dk:8443/moede/123?x=1')).toBe('dagsorden.aarhus.dk');
    expect(parseHostEntry('dagsorden.aarhus.dk/moede')).toBe('dagsorden.aarhus.dk');
    expect(parseHostEntry('*.Aarhus.dk')).toBe('*.aarhus.dk');
    expect(parseHostEntry('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(parseHostEntry('localhost')).toBe('localhost');
    // International names as the browser matches them (punycode).
    expect(parseHostEntry('møder.kommune.dk')).toBe('xn--mder-gra.kommune.dk');
    expect(patternOf('*.aarhus.dk')).toBe('*://*.aarhus.dk/*');
  });

  it('refuses what names no single site, or a whole country', () => {
    for (const entry of [
      '',
      '   ',
      '*',
      '*.',
      '*.dk',
      'ftp://x.example',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'a b.dk',
      '[::1]',
      '*://*/*',
    ]) {
      expect(parseHostEntry(entry), entry).toBeNull();
    }
  });

  it('covers a page on the host, and on subdomains only for *.domain', () => {
    expect(hostCovers('aarhus.dk', 'aarhus.dk')).toBe(true);
    expect(hostCovers('aarhus.dk', 'dagsorden.aarhus.dk')).toBe(false);
    expect(hostCovers('*.aarhus.dk', 'dagsorden.aarhus.dk')).toBe(true);
    expect(hostCovers('*.aarhus.dk', 'aarhus.dk')).toBe(true);
    expect(hostCovers('*.aarhus.dk', 'evilaarhus.dk')).toBe(false);
  });
});

describe('where Randnoter is active', () => {
  const user = { meetingHosts: ['dagsorden.odense.dk', 'intra.aarhus.dk'], autoOpenPdfs: true };

  it('on the organisation’s sites and the user’s, each once, and the policy’s PDF rule over the user’s', () => {
    const sites = siteAccessOf(user, { overlayHosts: ['*.aarhus.dk', 'not a host', 'dagsorden.odense.dk'], pdfTakeover: 'off' });
    expect(sites).toEqual({ hosts: ['*.aarhus.dk', 'dagsorden.odense.dk', 'intra.aarhus.dk'], takeover: 'off' });
    expect(siteAccessOf(user, {}).takeover).toBe('listedHosts');
    expect(siteAccessOf({ ...user, autoOpenPdfs: false }, {}).takeover).toBe('off');
    expect(isActiveOn(sites, 'https://dagsorden.aarhus.dk/moede/1')).toBe(true);
    expect(isActiveOn(sites, 'https://www.kk.dk/')).toBe(false);
    expect(isActiveOn(sites, 'file:///home/anne/packet.pdf')).toBe(false);
  });

  it('takes PDFs over on the meeting portals, everywhere only when the policy says all', () => {
    const listed = siteAccessOf(user, {});
    expect(takesOver(listed, 'https://dagsorden.odense.dk/packet.pdf')).toBe(true);
    expect(takesOver(listed, 'https://www.kk.dk/packet.pdf')).toBe(false);
    const all = siteAccessOf(user, { pdfTakeover: 'all' });
    expect(takesOver(all, 'https://www.kk.dk/packet.pdf')).toBe(true);
    expect(takesOver(all, 'chrome-extension://x/viewer.html')).toBe(false);
    expect(takesOver(siteAccessOf(user, { pdfTakeover: 'off' }), 'https://dagsorden.odense.dk/packet.pdf')).toBe(false);
  });
});
