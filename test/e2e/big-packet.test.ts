/**
 * Big packets open at once (issue 33, point 5): from a server that answers range requests,
 * Randnoter's viewer draws the first page of a big packet while most of the file is still on its
 * way over a slow link, and fills in Indhold as the pages come (the agenda detected on the pages
 * read so far, "Læser side n af N"); from a server that does not, it reads the whole file as
 * before and opens it all the same.
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
      // Indhold lists the agenda (read-only while pages are read, then the annotator's).
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

  it('lists the agenda in Indhold while the later pages are still being read', async () => {
    const site = await startSlowSite(dir, { ranges: true, bytesPerSecond: BYTES_PER_SECOND });
    try {
      const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
      // One look at Indhold at a time, so the items and the reading status are seen together.
      const contents = () =>
        viewer.evaluate(() => {
          const nav = document.querySelector('nav.rn-contents');
          return {
            items: [...(nav?.querySelectorAll('button') ?? [])].map((b) => b.textContent ?? '').filter((t) => t.startsWith('Punkt')),
            reading: nav?.querySelector('[role="status"]')?.textContent ?? '',
          };
        });
      let seen: Awaited<ReturnType<typeof contents>> = { items: [], reading: '' };
      await waitFor(
        async () => {
          seen = await contents();
          return seen.items.length > 0 || viewer.evaluate(() => document.body.dataset.ready === 'true');
        },
        { what: 'agenda items in Indhold', timeoutMs: 60_000, intervalMs: 20 },
      );
      expect(seen.items.length).toBeGreaterThan(0);
      const [, read, of] = /^Læser side (\d+) af (\d+)$/.exec(seen.reading) ?? [];
      expect(Number(of)).toBe(120);
      expect(Number(read)).toBeLessThan(120);
      // Once every page is read: the annotator's Indhold, without the reading status.
      await waitFor(() => viewer.evaluate(() => document.body.dataset.ready === 'true'), { what: 'the viewer ready', timeoutMs: 60_000 });
      await expect(contents()).resolves.toMatchObject({ reading: '' });
      await viewer
        .getByRole('navigation', { name: 'Indhold' })
        .getByRole('button', { name: /^Punkt 7:/ })
        .waitFor({ timeout: 10_000 });
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
