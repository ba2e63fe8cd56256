/**
 * Issue 26, point 6: a page note and a region note on a scanned page go with the scan when a
 * republished packet moves it one page on (the bug: they stayed on their old page number, which
 * in v2 holds another scan, and were not listed to check), and re-attaching a note in v2 leaves
 * v1 as it was (the bug: v1 then listed the note to check, with the quote from v2).
 */
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { SCANS, type ScannedPackets, writeScannedPackets } from '../support/scanned-packet.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const SCAN_V1 = SCANS.v1[1].page; // the second scan: page 39 of packet.pdf …
const SCAN_V2 = SCANS.v2[1].page; // … and page 40 of packet.v2.pdf, whose page 39 is the first scan

async function goTo(viewer: Page, page: number): Promise<void> {
  await viewer.getByLabel('Sidenummer').fill(String(page));
  await viewer.getByLabel('Sidenummer').press('Enter');
  await viewer.locator(`.page[data-page-number="${page}"][data-loaded]`).waitFor({ timeout: 30_000 });
}

async function writeNote(viewer: Page, body: string): Promise<void> {
  await viewer.getByLabel('Notetekst').fill(body);
  await viewer.getByRole('button', { name: 'Gem' }).click();
  await viewer.getByRole('complementary', { name: 'Overblik' }).getByRole('article').filter({ hasText: body }).first().waitFor();
}

const regionMark = (viewer: Page, page: number, id: string) =>
  viewer.locator(`.page[data-page-number="${page}"] .rn-highlight-region[data-annotation-id="${id}"]`);

needs('chromium')('page and region notes in a republished packet', () => {
  let server: TestServer;
  let anne: ExtensionBrowser;
  let scanned: ScannedPackets;

  beforeAll(async () => {
    scanned = await writeScannedPackets();
    server = await startTestServer({ demoDir: scanned.dir });
    anne = await launchWithExtension();
  });
  afterAll(async () => {
    await anne?.close();
    await server?.close();
    scanned?.remove();
  });

  it('moves page and region notes with their scan to v2, and re-attaching in v2 leaves v1 as it was', async () => {
    const user = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(anne, server.url, user.token, 'Anne Jensen');
    const v1 = await openViewer(anne, `${server.url}/demo/packet.pdf`);
    await v1.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview1 = v1.getByRole('complementary', { name: 'Overblik' });

    // A note on the passage v2 edits, to re-attach there.
    await goTo(v1, 28);
    await selectText(v1, 28, '180-200 mandetimer');
    await v1.getByRole('button', { name: 'Tilføj note' }).click();
    await writeNote(v1, 'Er timetallet realistisk?');

    // A page note and a region note on the scan (no text on it: a rectangle is the only way to point).
    await goTo(v1, SCAN_V1);
    await v1.getByRole('button', { name: 'Sidenote' }).click();
    await writeNote(v1, 'Brevet fra ministeriet');
    const scan = v1.locator(`.page[data-page-number="${SCAN_V1}"]`);
    await scan.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await v1.getByRole('button', { name: 'Områdenote' }).click();
    const box = await scan.boundingBox();
    if (!box) throw new Error('the scan is not laid out');
    await v1.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.03);
    await v1.mouse.down();
    await v1.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2, { steps: 5 });
    await v1.mouse.up();
    await v1.getByRole('button', { name: 'Tilføj note' }).click();
    await writeNote(v1, 'Underskriften her');
    const regionId = (await overview1
      .getByRole('article')
      .filter({ hasText: 'Underskriften her' })
      .getAttribute('data-annotation-id')) as string;
    await regionMark(v1, SCAN_V1, regionId).waitFor({ state: 'attached' });
    await v1.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();

    // The scan's notes know the scan by its image.
    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });
    const room = `notes/${user.id}/${packetId}`;
    const stored = await waitFor(
      async () => {
        const notes = liveAnnotations(await readStoredDoc(server.database, room));
        return notes.length === 3 ? notes : null;
      },
      { what: 'three notes on the server' },
    );
    for (const body of ['Brevet fra ministeriet', 'Underskriften her']) {
      expect(stored.find((a) => a.body === body)?.target.pageIdentity?.image?.hash, body).toMatch(/^[0-9a-f]{16}$/);
    }

    // v2: both notes are on the scan, one page on; the edited passage is listed to check.
    const v2 = await openViewer(anne, `${server.url}/demo/packet.v2.pdf`);
    await v2.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview2 = v2.getByRole('complementary', { name: 'Overblik' });
    const check = overview2.locator('.rn-moved');
    for (const body of ['Brevet fra ministeriet', 'Underskriften her']) {
      const card = overview2.locator('.rn-cards').getByRole('article').filter({ hasText: body });
      await card.waitFor({ timeout: 30_000 });
      await expect(card.textContent(), body).resolves.toContain(`side ${SCAN_V2}`);
      await expect(card.getAttribute('data-status'), body).resolves.toBe('anchored');
    }
    await goTo(v2, SCAN_V2);
    await regionMark(v2, SCAN_V2, regionId).waitFor({ state: 'attached' });
    // Not on its old page number, which now holds the other scan (highlights drawn there, none of them this).
    await goTo(v2, SCAN_V1);
    await v2.locator(`.page[data-page-number="${SCAN_V1}"] .rn-highlights`).waitFor({ state: 'attached' });
    await expect(regionMark(v2, SCAN_V1, regionId).count()).resolves.toBe(0);
    const edited = check.locator('.rn-moved-entry').filter({ hasText: 'Er timetallet realistisk?' });
    await edited.waitFor();
    await expect(check.locator('.rn-moved-entry').count()).resolves.toBe(1);

    // Re-attach the edited note to the new words in v2.
    await goTo(v2, 28);
    await selectText(v2, 28, '220-250 mandetimer');
    await edited.getByRole('button', { name: 'Tilknyt igen' }).click();
    await expect.poll(() => check.locator('.rn-moved-entry').count()).toBe(0);
    await overview2.locator('.rn-cards blockquote').filter({ hasText: '220-250 mandetimer' }).waitFor();
    await v2.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();
    await waitFor(
      async () => {
        const note = liveAnnotations(await readStoredDoc(server.database, room)).find((a) => a.body === 'Er timetallet realistisk?');
        return JSON.stringify(note?.target).includes('220-250 mandetimer');
      },
      { what: 'the re-attachment on the server' },
    );

    // v1, opened again, shows every note as before: nothing to check, the quote as it was made.
    await v1.close();
    const again = await openViewer(anne, `${server.url}/demo/packet.pdf`);
    await again.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview3 = again.getByRole('complementary', { name: 'Overblik' });
    const quoteCard = overview3.locator('.rn-cards').getByRole('article').filter({ hasText: 'Er timetallet realistisk?' });
    await quoteCard.waitFor({ timeout: 30_000 });
    await expect(quoteCard.locator('blockquote').textContent()).resolves.toBe('180-200 mandetimer');
    await expect(quoteCard.getAttribute('data-status')).resolves.toBe('anchored');
    await expect(quoteCard.textContent()).resolves.toContain('side 28');
    await expect(overview3.locator('.rn-moved-entry').count()).resolves.toBe(0);
    await expect(overview3.locator('.rn-moved').isHidden()).resolves.toBe(true);
    const regionCard = overview3.locator('.rn-cards').getByRole('article').filter({ hasText: 'Underskriften her' });
    await expect(regionCard.textContent()).resolves.toContain(`side ${SCAN_V1}`);
  });
});
