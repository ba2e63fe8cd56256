/**
 * HTML agenda pages get the same annotator in a sidebar frame of the extension's origin. Notes
 * anchor to the page's text; a script on the page cannot read notes, tokens or the sidebar.
 */
import { resolve } from 'node:path';

import { quoteOf } from '@randnoter/shared/model/annotation';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { selectWithScript } from '../support/page-selection.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** Selects `text` in the page and returns the middle of the selection (viewport). */
async function selectInPage(page: Page, text: string): Promise<{ x: number; y: number }> {
  const rect = await selectWithScript(page, text);
  return { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 };
}

needs('chromium')('HTML agenda pages', () => {
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

  it('annotates the page text from a sidebar the page cannot read', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    // Randnoter reads only the sites listed as meeting portals.
    await addMeetingPortal(browser, site.url);
    const page = await browser.context.newPage();

    await page.goto(`${site.url}/agenda.html`);

    // A page that reads as an agenda gets the sidebar by itself, with the agenda in "Indhold".
    const sidebar: Frame = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    const contents = sidebar.getByRole('navigation', { name: 'Indhold' });
    await contents.getByRole('button', { name: /^Punkt 3: Godkendelse af Byrådsindstilling/ }).waitFor();
    await expect(contents.getByRole('button', { name: /^Punkt \d+:/ }).count()).resolves.toBe(10);
    expect(page.url()).toBe(`${site.url}/agenda.html`);

    // The toolbar button hides and shows it again.
    const sw = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
    const pressToolbarButton = () =>
      sw.evaluate(async (url) => {
        const { chrome } = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>> } } };
        const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
        await (globalThis as unknown as { randnoter: { activateTab(tab: unknown): Promise<void> } }).randnoter.activateTab(tab);
      }, `${site.url}/agenda.html`);
    // (The frame sits in a closed shadow root; what the page can see is the room it makes beside itself.)
    const roomForSidebar = () => page.evaluate(() => getComputedStyle(document.documentElement).marginRight);
    await expect.poll(roomForSidebar).not.toBe('0px');
    await pressToolbarButton();
    await expect.poll(roomForSidebar).toBe('0px');
    await pressToolbarButton();
    await expect.poll(roomForSidebar).not.toBe('0px');

    // Select text on the page and add a note with the keyboard shortcut.
    const at = await selectInPage(page, 'Setup og indhold');
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    const clip = { x: at.x - 20, y: at.y - 4, width: 40, height: 8 };
    const unmarked = await page.screenshot({ clip });
    await selectInPage(page, 'Setup og indhold');
    await page.keyboard.press('Alt+n');
    await sidebar.getByLabel('Notetekst').fill('Hemmelig note om frivilligprisen');
    await sidebar.getByRole('button', { name: 'Gem' }).click();
    const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
    await overview.getByText('Hemmelig note om frivilligprisen').waitFor();
    // Grouped under its agenda item, and counted in "Indhold".
    await overview.getByRole('heading', { name: 'Punkt 4: Frivilligpris' }).waitFor();
    await contents.getByRole('button', { name: 'Punkt 4: Frivilligpris, 1 note' }).waitFor();
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    await page.screenshot({ path: screenshotPath('agenda-sidebar.png') });

    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered page' });
    const stored = await waitFor(
      async () => {
        const notes = liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`));
        return notes.length === 1 ? notes : null;
      },
      { what: 'note stored' },
    );
    expect(stored[0] && quoteOf(stored[0].target)?.exact).toBe('Setup og indhold');

    // The highlight is painted over the selected words: seen as pixels, since its DOM is closed to the page.
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    await expect.poll(async () => Buffer.compare(await page.screenshot({ clip }), unmarked)).not.toBe(0);

    // A page script finds nothing of Randnoter's: no shadow DOM, no frame document, no notes, no token.
    const probe = await page.evaluate(() => {
      const host = document.querySelector('randnoter-sidebar');
      let frameDocument = 'unreadable';
      try {
        frameDocument = String(window.frames[0]?.document?.body?.textContent ?? 'unreadable');
      } catch {
        frameDocument = 'unreadable';
      }
      const storage = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
      const runtime = typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage;
      return {
        hostFound: host !== null,
        shadowRoot: host?.shadowRoot ?? null,
        frameDocument,
        text: document.documentElement.textContent,
        storage,
        runtime,
      };
    });
    expect(probe.hostFound).toBe(true);
    expect(probe.shadowRoot).toBeNull();
    expect(probe.frameDocument).toBe('unreadable');
    expect(probe.text).not.toContain('Hemmelig note');
    expect(probe.storage).not.toContain(anne.token);
    expect(probe.runtime).toBe('undefined');
  });
});
