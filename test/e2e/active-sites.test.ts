/**
 * Randnoter reads only the sites it is allowed on (issue 27, point 6): its page scripts are
 * registered for the meeting portals alone; a site becomes one through the options field
 * "Mødeportaler" or the toolbar button; a packet from a site without access gets the browser's
 * question instead of an error; and the server is reached without access to its host (it answers
 * the extension's CORS requests).
 */
import { resolve } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, signIn, watchPageScripts } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** The same address under the name the test build has no access to. */
const asLocalhost = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

const sidebarOf = (page: Page) =>
  waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame', timeoutMs: 30_000 });

const workerOf = async (browser: ExtensionBrowser): Promise<Worker> =>
  browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));

/** The page scripts the extension has registered: their ids and the sites they are for. */
const registered = async (browser: ExtensionBrowser) =>
  (await workerOf(browser)).evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { scripting: { getRegisteredContentScripts(): Promise<Array<{ id: string; matches?: string[] }>> } };
    };
    return (await chrome.scripting.getRegisteredContentScripts()).map(({ id, matches }) => ({ id, matches }));
  });

needs('chromium')('active only where allowed', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(FIXTURE), launchWithExtension()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
  });

  it('gives no page a script until its site is a meeting portal, and then only that site', async () => {
    expect(await registered(browser)).toEqual([]);
    const page = await browser.context.newPage();
    const scripts = await watchPageScripts(browser, page);
    // An agenda page gets the sidebar by itself where Randnoter is active; here it gets nothing.
    await page.goto(`${site.url}/agenda.html`, { waitUntil: 'load' });
    expect(scripts()).toBe(0);
    expect(await page.locator('randnoter-sidebar').count()).toBe(0);

    await addMeetingPortal(browser, site.url);
    expect(await registered(browser)).toEqual([
      { id: 'randnoter-agenda', matches: ['*://127.0.0.1/*'] },
      // The in-place overlay of a portal's own pdf.js viewer (test/e2e/in-place.test.ts).
      { id: 'randnoter-pdfjs-probe', matches: ['*://127.0.0.1/*'] },
      { id: 'randnoter-inplace', matches: ['*://127.0.0.1/*'] },
    ]);
    await page.reload();
    await sidebarOf(page);
    expect(scripts()).toBeGreaterThan(0);

    // The same pages under another host name are another site: still nothing.
    const other = await browser.context.newPage();
    const otherScripts = await watchPageScripts(browser, other);
    await other.goto(`${asLocalhost(site.url)}/agenda.html`, { waitUntil: 'load' });
    expect(otherScripts()).toBe(0);
    expect(await other.locator('randnoter-sidebar').count()).toBe(0);
    await Promise.all([page.close(), other.close()]);
  });

  it('turns Randnoter on for the current site from the toolbar button, at once', async () => {
    const fresh = await launchWithExtension();
    try {
      const page = await fresh.context.newPage();
      await page.goto(`${site.url}/agenda.html`, { waitUntil: 'load' });
      const worker = await workerOf(fresh);
      const titleBefore = await worker.evaluate(async (url) => {
        const { chrome } = globalThis as unknown as {
          chrome: {
            tabs: { query(q: object): Promise<Array<{ id: number; url?: string }>> };
            action: { getTitle(d: { tabId: number }): Promise<string> };
          };
        };
        const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
        if (!tab) throw new Error('no tab with the agenda page');
        const title = await chrome.action.getTitle({ tabId: tab.id });
        // What a click on the button does (tests cannot click the browser's toolbar).
        const api = (globalThis as unknown as { randnoter: { activateTab(tab: unknown): Promise<void> } }).randnoter;
        await api.activateTab(tab);
        return title;
      }, `${site.url}/agenda.html`);
      expect(titleBefore).toBe('Aktivér Randnoter på dette websted');
      await sidebarOf(page);

      // The site is now one of the user's meeting portals, and the button there is named "Randnoter".
      const options = await fresh.context.newPage();
      await options.goto(fresh.extensionUrl('options.html'));
      await expect(options.getByLabel('Mødeportaler').inputValue()).resolves.toBe('127.0.0.1');
      await options.close();
      const titleAfter = await waitFor(
        () =>
          worker.evaluate(async (url) => {
            const { chrome } = globalThis as unknown as {
              chrome: {
                tabs: { query(q: object): Promise<Array<{ id: number; url?: string }>> };
                action: { getTitle(d: { tabId: number }): Promise<string> };
              };
            };
            const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
            const title = tab ? await chrome.action.getTitle({ tabId: tab.id }) : '';
            return title === 'Randnoter' ? title : null;
          }, `${site.url}/agenda.html`),
        { what: 'the button named Randnoter on the active site' },
      );
      expect(titleAfter).toBe('Randnoter');
      // Registered too: the next visit gets the sidebar by itself.
      await page.reload();
      await sidebarOf(page);
    } finally {
      await fresh.close();
    }
  });

  it('offers the browser’s question when a packet is on a site it has no access to', async () => {
    const viewer = await openViewer(browser, `${asLocalhost(site.url)}/packet.pdf`);
    await viewer.getByRole('alert').filter({ hasText: 'Randnoter har ikke adgang til localhost' }).waitFor({ timeout: 30_000 });
    await viewer.getByRole('button', { name: 'Giv adgang til localhost' }).waitFor();
    await viewer.close();
  });

  it('reaches the server at an address it has no access to', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    // Only the extension's origin is answered (server/src/api/extension-cors.ts): no host access needed.
    await signIn(browser, asLocalhost(server.url), anne.token, 'Anne Jensen');
    const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await viewer.close();
  });
});
