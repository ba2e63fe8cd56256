/**
 * The whole path once, with real parts: the built extension in Chromium opens a packet served
 * from 127.0.0.1, the user selects text and adds a private note, the server stores it in SQLite,
 * and the note appears at the same words in a second browser signed in as the same user.
 */
import { resolve } from 'node:path';
import { quoteOf } from '@randnoter/shared/model/annotation';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const QUOTE = 'uden bemærkninger. Lotte Henriksen var';

needs('chromium')('walking skeleton', () => {
  let server: TestServer;
  let laptop: ExtensionBrowser;
  let tablet: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    [laptop, tablet] = await Promise.all([launchWithExtension(), launchWithExtension()]);
  });
  afterAll(async () => {
    await Promise.all([laptop?.close(), tablet?.close()]);
    await server?.close();
  });

  it('stores a note made on selected text and shows it, anchored, in a second browser without reload', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(laptop, server.url, anne.token, 'Anne Jensen');
    await signIn(tablet, server.url, anne.token, 'Anne Jensen');
    const packetUrl = `${server.url}/demo/packet.pdf`;

    const reader = await openViewer(tablet, packetUrl);
    const writer = await openViewer(laptop, packetUrl);
    for (const page of [reader, writer]) {
      await page.locator('.page[data-page-number="2"] .textLayer span').first().waitFor({ timeout: 60_000 });
      await page.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    }

    await writer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await selectText(writer, 2, QUOTE);
    await writer.getByRole('button', { name: 'Tilføj note' }).click();
    await writer.getByLabel('Notetekst').fill('Spørg til fraværet');
    await writer.getByRole('button', { name: 'Gem' }).click();
    await writer.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();

    // Stored by the server, in the SQLite file, under Anne's private room for this packet.
    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });
    const stored = await waitFor(
      async () => {
        const notes = liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`));
        return notes.length === 1 ? notes : null;
      },
      { what: 'note in SQLite' },
    );
    expect(stored).toHaveLength(1);
    const note = stored[0];
    expect(note?.body).toBe('Spørg til fraværet');
    expect(note && quoteOf(note.target)?.exact).toBe(QUOTE);
    expect(note?.target.page).toBe(2);

    // The other browser: the card appears in "Overblik", and the highlight covers the same words.
    const overview = reader.getByRole('complementary', { name: 'Overblik' });
    await overview.getByText('Spørg til fraværet').waitFor({ timeout: 10_000 });
    await expect(overview.locator('blockquote').first().textContent()).resolves.toBe(QUOTE);
    await reader.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    const highlight = reader.locator(`.page[data-page-number="2"] .rn-highlight[data-annotation-id="${note?.id}"]`).first();
    await highlight.waitFor({ state: 'attached', timeout: 10_000 });
    const coveredText = await reader.evaluate((id) => {
      const marks = [...document.querySelectorAll<HTMLElement>(`.rn-highlight[data-annotation-id="${id}"]`)].map((m) =>
        m.getBoundingClientRect(),
      );
      const spans = [...document.querySelectorAll<HTMLElement>('.page[data-page-number="2"] .textLayer span[role="presentation"]')];
      return spans
        .filter((s) => {
          const r = s.getBoundingClientRect();
          return marks.some((m) => r.top < m.bottom && r.bottom > m.top && r.left < m.right && r.right > m.left);
        })
        .map((s) => s.textContent)
        .join(' ');
    }, note?.id);
    expect(coveredText).toContain('uden bemærkninger');
    await reader.getByText('Spørg til fraværet').click();
    await reader.screenshot({ path: screenshotPath('viewer-with-note.png') });
  });
});
