/**
 * Issue 26, point 5: a municipality's HTML agenda page links the packet PDF. The PDF alone is a
 * guess (bare-numbered items: notes grouped by page), but once the extension has shown the agenda
 * page, the PDF opened from it takes the page's items and attachments, placed on its pages where
 * their titles and page links say, and groups notes under them. A PDF no agenda page links stays
 * a guess.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../fixtures/packet-gen/styles.ts';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { PACKET_V1 } from '../support/packet-fixture.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const htmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The meeting system's web page for the meeting: items as headings, attachments as links into the packet. */
function agendaPage(truth: AgendaOutline): string {
  const items = truth.items.map(
    (item) => `
    <section>
      <h2>Punkt ${item.number}: ${htmlText(item.title)}</h2>
      <h3>Beslutning</h3>
      <p>Indstillingen blev godkendt.</p>
      ${
        item.attachments.length === 0
          ? ''
          : `<h3>Bilag</h3><ul>${item.attachments
              .map((a) => `<li><a href="packet.pdf#page=${a.firstPage}">Bilag ${a.number}: ${htmlText(a.title)}</a></li>`)
              .join('')}</ul>`
      }
    </section>`,
  );
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Dagsorden: Udvalgsmøde</title></head>
  <body><main><h1>Dagsorden: Udvalgsmøde</h1><p><a href="packet.pdf">Hent hele mødepakken (PDF)</a></p>${items.join('')}</main></body></html>`;
}

needs('chromium')('a packet opened from its HTML agenda page', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let truth: AgendaOutline;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-agenda-link-'));
    const corpus = await loadCorpus(PACKET_V1);
    const linked = await generatePacket(styleNamed('bare-numbers'), 3, corpus);
    const unlinked = await generatePacket(styleNamed('bare-numbers'), 2, corpus);
    truth = linked.truth;
    writeFileSync(join(dir, 'packet.pdf'), linked.bytes);
    writeFileSync(join(dir, 'other.pdf'), unlinked.bytes);
    writeFileSync(join(dir, 'agenda.html'), agendaPage(truth));
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(dir), launchWithExtension()]);
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
  });

  it('takes the agenda page’s structure when the PDF’s own is a guess, placed on the PDF’s pages', async () => {
    // A PDF no agenda page has linked: a guess.
    const before = await openViewer(browser, `${site.url}/packet.pdf`);
    await before.getByRole('navigation', { name: 'Indhold' }).getByText('Indholdet er gættet – ret det').waitFor({ timeout: 60_000 });
    await before.close();

    // The user reads the agenda page: the extension's sidebar comes up on it.
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar
      .getByRole('navigation', { name: 'Indhold' })
      .getByRole('button', { name: /^Punkt 1: / })
      .waitFor({ timeout: 30_000 });

    // Opened from it, the packet is no longer a guess: its Indhold is the page's, on the PDF's pages.
    const viewer = await openViewer(browser, `${site.url}/packet.pdf#page=1`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const contents = viewer.getByRole('navigation', { name: 'Indhold' });
    await contents.getByRole('note').filter({ hasText: 'Indholdet er hentet fra dagsordenssiden.' }).waitFor();
    await expect(contents.getByText('Indholdet er gættet – ret det').isVisible()).resolves.toBe(false);
    for (const item of truth.items) {
      await contents.getByRole('button', { name: `Punkt ${item.number}: ${item.title}`, exact: true }).waitFor();
      for (const a of item.attachments)
        await contents
          .getByRole('button', { name: `Bilag ${a.number}: ${a.title}`, exact: true })
          .first()
          .waitFor();
    }
    // Choosing an attachment goes to the page the agenda page links.
    const third = truth.items[2] as AgendaOutline['items'][number];
    const tidsplan = third.attachments[0] as AgendaOutline['items'][number]['attachments'][number];
    await contents.getByRole('button', { name: `Bilag 1: ${tidsplan.title}`, exact: true }).click();
    await expect.poll(() => viewer.getByLabel('Sidenummer').inputValue()).toBe(String(tidsplan.firstPage));

    // A note there is filed under the item and attachment, not by page.
    await viewer.getByRole('button', { name: 'Sidenote' }).click();
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await overview.getByLabel('Notetekst').fill('Er tidsplanen realistisk?');
    await overview.getByRole('button', { name: 'Gem' }).click();
    const group = overview
      .locator('.rn-group')
      .filter({ has: viewer.getByRole('heading', { name: `Punkt 3: ${third.title}`, exact: true }) });
    await group.getByRole('heading', { name: `Bilag 1: ${tidsplan.title}`, exact: true }).waitFor();
    await group.getByText('Er tidsplanen realistisk?').waitFor();

    // The page links only packet.pdf: another packet stays a guess.
    const other = await openViewer(browser, `${site.url}/other.pdf`);
    await other.getByRole('navigation', { name: 'Indhold' }).getByText('Indholdet er gættet – ret det').waitFor({ timeout: 60_000 });
    await expect(other.getByText('Indholdet er hentet fra dagsordenssiden.').count()).resolves.toBe(0);
  });
});
