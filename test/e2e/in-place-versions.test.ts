/**
 * The in-place overlay across pdf.js versions (issue 33's compatibility matrix): the same portal
 * built from the viewer components of pdfjs-dist 3.x and 4.x (installed side by side under npm
 * aliases; the current release is in-place.test.ts), each exposing `PDFViewerApplication`. For each,
 * a note made in Randnoter's viewer shows in place on the same words, and a note made in place
 * shows in Randnoter's viewer.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type PdfjsVersion, pdfjsPortalDir } from '../support/pdfjs-portal.ts';
import { startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { stripThrough, textLayerSpan, wordsRect } from '../support/text-layer.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const VERSIONS: PdfjsVersion[] = ['3', '4'];

const frameOf = (page: Page, path: string): Promise<Frame> =>
  waitFor(() => page.frames().find((f) => f.url().includes(path)), { what: `frame ${path}`, timeoutMs: 30_000 });

/** Where `text` is on the tab's screen, for a pixel comparison; the span is left selected when `select`. */
async function wordsIn(page: Page, viewer: Frame, pageNumber: number, text: string, select: boolean) {
  const r = await wordsRect(await textLayerSpan(viewer, pageNumber, text), text, select);
  const frame = await page.locator('iframe#document').boundingBox();
  if (!frame) throw new Error('no viewer frame');
  return stripThrough(r, frame);
}

needs('chromium')('pdf.js viewers of other major versions', () => {
  let server: TestServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demoDir: FIXTURE }), launchWithExtension()]);
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const version of VERSIONS) {
    it(`pdfjs-dist ${version}.x: notes both ways, on the same words`, async () => {
      const dir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'), version);
      const site = await startStaticServer(dir);
      try {
        await addMeetingPortal(browser, site.url);
        // A note made in Randnoter's own viewer first.
        const own = await openViewer(browser, `${site.url}/packet.pdf`);
        await own.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
        const fromViewer = `Fra Randnoters viewer (${version}.x)`;
        await selectText(own, 2, 'Louise Rohde');
        await own.getByRole('button', { name: 'Tilføj note' }).click();
        await own.getByLabel('Notetekst').fill(fromViewer);
        await own.getByRole('button', { name: 'Gem' }).click();
        const ownOverview = own.getByRole('complementary', { name: 'Overblik' });
        await ownOverview.getByText(fromViewer).waitFor();

        // In place on the portal's pdf.js of this version: listed, and drawn over the same words.
        const page = await browser.context.newPage();
        await page.goto(`${site.url}/portal.html`);
        const sidebar = await frameOf(page, '/sidebar.html');
        const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
        await overview.getByText(fromViewer).waitFor({ timeout: 60_000 });
        const viewer = await frameOf(page, '/viewer.html');
        const clip = await wordsIn(page, viewer, 2, 'Louise Rohde', false);
        const marked = await page.screenshot({ clip });
        await viewer.evaluate(() => {
          for (const host of document.querySelectorAll('randnoter-overlay')) (host as HTMLElement).style.visibility = 'hidden';
        });
        await expect.poll(async () => Buffer.compare(await page.screenshot({ clip }), marked), { timeout: 30_000 }).not.toBe(0);
        await viewer.evaluate(() => {
          for (const host of document.querySelectorAll('randnoter-overlay')) (host as HTMLElement).style.visibility = '';
        });

        // A note made in place shows in Randnoter's viewer.
        const inPlace = `Skrevet i pdf.js ${version}.x`;
        await viewer.locator('#toolbar').click();
        await wordsIn(page, viewer, 2, 'Dagsordenen blev godkendt', true);
        await page.keyboard.press('Alt+n');
        await sidebar.getByLabel('Notetekst').fill(inPlace);
        await sidebar.getByRole('button', { name: 'Gem' }).click();
        await overview.getByText(inPlace).waitFor();
        await ownOverview.getByText(inPlace).waitFor({ timeout: 30_000 });
        await Promise.all([page.close(), own.close()]);
      } finally {
        await site.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
