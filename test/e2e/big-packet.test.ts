/**
 * Big packets open at once (issue 33, point 5): from a server that answers range requests,
 * Randnoter's viewer draws the first page of a big packet while most of the file is still on its
 * way over a slow link, and builds Indhold once it has come; from a server that does not, it
 * reads the whole file as before and opens it all the same.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSlowSite, writeBigPacket } from '../support/big-packet.ts';
import { type ExtensionBrowser, launchWithExtension, openViewer } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01/packet.pdf');
/** 4 MB/s: the 24 MB packet takes about 6 s to come whole. */
const BYTES_PER_SECOND = 4e6;

needs('chromium')('a big packet', () => {
  let browser: ExtensionBrowser;
  let dir: string;
  let size: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'randnoter-big-packet-'));
    await writeBigPacket(FIXTURE, join(dir, 'packet.pdf'), 120, 24);
    size = statSync(join(dir, 'packet.pdf')).size;
    browser = await launchWithExtension();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the first page before most of the file has come, where the server answers ranges', async () => {
    const site = await startSlowSite(dir, { ranges: true, bytesPerSecond: BYTES_PER_SECOND });
    try {
      const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
      await viewer.locator('.page[data-page-number="1"] .textLayer span').first().waitFor({ timeout: 60_000 });
      // Whatever the machine's speed, the link decides how much has come: less than half.
      expect(site.packetBytesSent).toBeLessThan(size / 2);
      // Indhold once the text of every page is there.
      await viewer
        .getByRole('navigation', { name: 'Indhold' })
        .getByRole('button', { name: /^Punkt 7:/ })
        .waitFor({ timeout: 60_000 });
      await expect(viewer.locator('.rn-page-count').textContent()).resolves.toBe('/ 120');
      await viewer.close();
    } finally {
      await site.close();
    }
  });

  it('reads the whole file first where the server does not answer ranges, and opens it', async () => {
    const site = await startSlowSite(dir, { ranges: false, bytesPerSecond: BYTES_PER_SECOND * 4 });
    try {
      const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
      await viewer.locator('.page[data-page-number="1"] .textLayer span').first().waitFor({ timeout: 60_000 });
      // One download: the file once (the first request's answer is the whole file).
      await waitFor(() => site.packetBytesSent >= size, { what: 'the whole file', timeoutMs: 30_000 });
      expect(site.packetBytesSent).toBe(size);
      await viewer
        .getByRole('navigation', { name: 'Indhold' })
        .getByRole('button', { name: /^Punkt 7:/ })
        .waitFor({ timeout: 60_000 });
      await viewer.close();
    } finally {
      await site.close();
    }
  });
});
