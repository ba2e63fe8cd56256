/**
 * How packets reach the viewer (toolbar button, link menu, automatic opening on the meeting
 * portals, sites that need a session cookie) and that the viewer keeps what pdf.js users expect:
 * zoom, search, page navigation and a link back to the original.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, watchPageScripts } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('opening packets', () => {
  let site: StaticServer;
  let closedSite: StaticServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [site, closedSite, browser] = await Promise.all([
      startStaticServer(FIXTURE),
      startStaticServer(FIXTURE, { requireCookie: 'moedesession' }),
      launchWithExtension(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), closedSite?.close()]);
  });

  const worker = () => browser.context.serviceWorkers()[0] ?? browser.context.waitForEvent('serviceworker');
  const viewerPrefix = () => browser.extensionUrl('viewer.html');

  it('opens the current tab from the toolbar button and a link from the context menu', async () => {
    const sw = await worker();
    const pdfUrl = `${site.url}/packet.pdf`;
    const opened = browser.context.waitForEvent('page');
    await sw.evaluate(async (url) => {
      const api = (globalThis as unknown as { randnoter: { activateTab(tab: unknown): Promise<void> } }).randnoter;
      const { chrome } = globalThis as unknown as { chrome: { tabs: { create(o: { url: string }): Promise<object> } } };
      const tab = await chrome.tabs.create({ url: 'about:blank' });

      await api.activateTab({ ...tab, url });
    }, pdfUrl);
    const fromToolbar = await opened;
    await fromToolbar.waitForURL((u) => u.searchParams.get('file') === pdfUrl);
    await fromToolbar.locator('.page[data-page-number="1"] .textLayer span').first().waitFor({ timeout: 60_000 });

    const fromMenu = browser.context.waitForEvent('page');
    await sw.evaluate(async (url) => {
      const api = (globalThis as unknown as { randnoter: { openLinkInViewer(url: string): Promise<void> } }).randnoter;
      await api.openLinkInViewer(url);
    }, `${site.url}/packet.v2.pdf`);
    const menuPage = await fromMenu;
    await menuPage.waitForURL((u) => u.searchParams.get('file') === `${site.url}/packet.v2.pdf`);
    await menuPage.locator('.rn-page-count').filter({ hasText: '/ 47' }).waitFor({ timeout: 60_000 });
    await Promise.all([fromToolbar.close(), menuPage.close()]);
  });

  it('opens PDFs automatically when the option is on, on the meeting portals only', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const save = async (portals: string) => {
      await options.getByLabel('Mødeportaler').fill(portals);
      await options.getByRole('button', { name: 'Gem' }).click();
      await options.getByRole('status').filter({ hasText: 'gemt' }).waitFor();
      await options.getByRole('status').evaluate((status) => {
        status.textContent = '';
      });
    };
    await options.getByLabel("Åbn PDF'er automatisk").check();
    await save('');

    // Not a meeting portal: the PDF stays in the browser's own viewer, and no script of Randnoter's runs in it.
    const elsewhere = await browser.context.newPage();
    const scriptsElsewhere = await watchPageScripts(browser, elsewhere);
    await elsewhere.goto(`${site.url}/packet.pdf`, { waitUntil: 'load' });
    expect(elsewhere.url()).toBe(`${site.url}/packet.pdf`);
    expect(scriptsElsewhere()).toBe(0);
    await elsewhere.close();

    await save(new URL(site.url).hostname);
    const tab = await browser.context.newPage();
    await tab.goto(`${site.url}/agenda.html`);
    await tab.evaluate((url) => {
      location.href = url;
    }, `${site.url}/packet.pdf`);
    await tab.waitForURL((u) => u.href.startsWith(viewerPrefix()), { timeout: 30_000 });
    await tab.locator('.page[data-page-number="1"] .textLayer span').first().waitFor({ timeout: 60_000 });

    await options.getByLabel("Åbn PDF'er automatisk").uncheck();
    await save('');
    await Promise.all([tab.close(), options.close()]);
  });

  it("fetches packets that need the user's session cookie", async () => {
    const viewer = await openViewer(browser, `${closedSite.url}/packet.pdf`);
    await viewer
      .getByRole('alert')
      .filter({ hasText: 'Mødeportalen udleverede ikke dokumentet – log evt. ind på portalen' })
      .waitFor({ timeout: 30_000 });

    const login = await browser.context.newPage();
    await login.goto(`${closedSite.url}/login`);
    await login.close();
    await viewer.reload();
    await viewer.locator('.page[data-page-number="1"] .textLayer span').first().waitFor({ timeout: 60_000 });
    await viewer.close();
  });

  it('keeps zoom, search, page navigation and a link to the original', async () => {
    const pdfUrl = `${site.url}/packet.pdf`;
    const viewer = await openViewer(browser, pdfUrl);
    const firstPage = viewer.locator('.page[data-page-number="1"]');
    await firstPage.locator('.textLayer span').first().waitFor({ timeout: 60_000 });

    const before = (await firstPage.boundingBox())?.width ?? 0;
    await viewer.getByRole('button', { name: 'Zoom ind' }).click();
    await expect.poll(async () => (await firstPage.boundingBox())?.width ?? 0).toBeGreaterThan(before);
    await viewer.getByRole('button', { name: 'Zoom ud' }).click();

    await viewer.getByRole('button', { name: 'Næste side' }).click();
    await expect.poll(() => viewer.getByLabel('Sidenummer').inputValue()).toBe('2');
    await viewer.getByLabel('Sidenummer').fill('25');
    await viewer.getByLabel('Sidenummer').press('Enter');
    await viewer.locator('.page[data-page-number="25"] .textLayer span').first().waitFor({ timeout: 30_000 });

    await viewer.getByLabel('Søg i dokumentet').fill('forhindret i deltagelse');

    await viewer.getByLabel('Søg i dokumentet').press('Enter');
    // Polled in one query: the zoom just before re-renders text layers, and a highlight found
    // in a layer being replaced is detached from its page a moment later.
    const pageOfFirstMatch = viewer.locator('.page:has(.textLayer .highlight)').first();
    await expect
      .poll(async () => Number(await pageOfFirstMatch.getAttribute('data-page-number', { timeout: 1_000 }).catch(() => 0)), {
        timeout: 30_000,
      })
      .toBeGreaterThan(1);

    await expect(viewer.getByRole('link', { name: 'Åbn originalen' }).getAttribute('href')).resolves.toBe(pdfUrl);
    await viewer.close();
  });
});
