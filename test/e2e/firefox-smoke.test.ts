/**
 * The Firefox build works (puppeteer's ARIA queries are not available over WebDriver BiDi, so
 * this test finds fields by id and buttons by text): sign in and list the packet's site, open the
 * viewer on a packet, select text and add a note that the server stores, and see the sidebar come
 * up on the site's agenda page. */
import { resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension, signInFirefox } from '../support/firefox.ts';
import { needs } from '../support/needs.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('firefox')('Firefox', () => {
  let server: TestServer;
  let site: StaticServer;
  let firefox: FirefoxWithExtension;

  beforeAll(async () => {
    [server, site] = await Promise.all([startTestServer(), startStaticServer(FIXTURE)]);
    firefox = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await firefox?.close();
    await Promise.all([site?.close(), server?.close()]);
  });

  it('opens the viewer and adds a note', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signInFirefox(firefox, { serverUrl: server.url, token: anne.token, name: 'Anne Jensen', portal: site.url });

    const viewer = await firefox.openExtensionPage(`viewer.html?file=${encodeURIComponent(`${site.url}/packet.pdf`)}`);
    await viewer.setViewport({ width: 1400, height: 900 });
    await viewer.waitForSelector('.page[data-page-number="2"] .textLayer span', { timeout: 60_000 });
    await viewer.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Forbundet'), { timeout: 30_000 });
    await viewer.evaluate(() => document.querySelector('.page[data-page-number="2"]')?.scrollIntoView());
    await viewer.waitForSelector('.page[data-page-number="2"] .textLayer span', { timeout: 30_000 });
    await viewer.evaluate((wanted) => {
      const span = [...document.querySelectorAll('.page[data-page-number="2"] .textLayer span')].find((s) =>
        s.textContent?.includes(wanted),
      );
      const node = span?.firstChild as Text | undefined;
      if (!node) throw new Error('text not in the text layer');
      const at = node.data.indexOf(wanted);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    }, 'Louise Rohde');
    await viewer.locator('button::-p-text(Tilføj note)').click();
    await viewer.locator('#rn-editor-text').fill('Noteret i Firefox');
    await viewer.locator('.rn-editor button[type="submit"]').click();
    await viewer.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Gemt'), { timeout: 30_000 });

    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });
    const notes = await waitFor(
      async () => {
        const stored = liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`));
        return stored.length === 1 ? stored : null;
      },
      { what: 'note from Firefox on the server' },
    );
    expect(notes[0]?.body).toBe('Noteret i Firefox');
    await viewer.screenshot({ path: screenshotPath('firefox-viewer.png') });

    // The listed site's agenda page gets the sidebar: the page script registered at run time runs there.
    const agenda = await firefox.browser.newPage();
    await agenda.goto(`${site.url}/agenda.html`);
    await agenda.waitForSelector('randnoter-sidebar', { timeout: 30_000 });
    await agenda.close();
  });
});
