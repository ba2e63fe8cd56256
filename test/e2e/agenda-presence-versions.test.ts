/**
 * The agenda in "Indhold" with note counts, colleagues' presence per Punkt, and notes carried
 * over to a republished packet: moved notes found at their new places, edited passages listed
 * for the reader to re-attach or keep.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('agenda, presence and new versions', () => {
  let server: TestServer;
  let anne: ExtensionBrowser;
  let bo: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    [anne, bo] = await Promise.all([launchWithExtension(), launchWithExtension()]);
  });
  afterAll(async () => {
    await Promise.all([anne?.close(), bo?.close()]);
    await server?.close();
  });

  it('lists the agenda with counts and readers, and carries notes over to the revised packet', async () => {
    const users = { anne: await server.addUser('Anne Jensen', 'socialudvalget'), bo: await server.addUser('Bo Hansen', 'socialudvalget') };
    await signIn(anne, server.url, users.anne.token, 'Anne Jensen');
    await signIn(bo, server.url, users.bo.token, 'Bo Hansen');
    const v1 = await openViewer(anne, `${server.url}/demo/packet.pdf`);
    await v1.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

    // "Indhold" is the detected agenda; choosing an item goes to its first page.
    const contents = v1.getByRole('navigation', { name: 'Indhold' });
    await expect(contents.getByRole('button', { name: /^Punkt \d+:/ }).count()).resolves.toBe(10);
    await contents.getByRole('button', { name: /^Punkt 4: Frivilligpris/ }).click();
    await expect.poll(() => v1.getByLabel('Sidenummer').inputValue()).toBe('25');

    // Two notes: one on a passage the revision edits, one on a page the revision moves.
    for (const [page, quote, body] of [
      [28, '180-200 mandetimer', 'Er timetallet realistisk?'],
      [36, 'december 2022 vil statussen', 'Status hver måned'],
    ] as const) {
      await v1.getByLabel('Sidenummer').fill(String(page));
      await v1.getByLabel('Sidenummer').press('Enter');
      await v1.locator(`.page[data-page-number="${page}"] .textLayer span`).first().waitFor({ timeout: 30_000 });
      await selectText(v1, page, quote);
      await v1.getByRole('button', { name: 'Tilføj note' }).click();
      await v1.getByLabel('Notetekst').fill(body);
      await v1.getByRole('button', { name: 'Gem' }).click();
      await v1.getByRole('complementary', { name: 'Overblik' }).getByText(body).waitFor();
    }
    await v1.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();
    const overview = v1.getByRole('complementary', { name: 'Overblik' });
    const item4 = overview.locator('.rn-group').filter({ has: v1.getByRole('heading', { name: 'Punkt 4: Frivilligpris' }) });
    await item4.getByRole('heading', { name: 'Bilag 1: Indstilling - Frivilligpris' }).waitFor();
    await item4.getByText('Er timetallet realistisk?').waitFor();
    await contents.getByRole('button', { name: /^Punkt 4: Frivilligpris, 1 note/ }).waitFor();
    await contents.getByRole('button', { name: /^Punkt 7: Status på Ukraine-situationen, 1 note/ }).waitFor();

    // Bo reads Punkt 7: Anne sees it.
    const boViewer = await openViewer(bo, `${server.url}/demo/packet.pdf`);
    await boViewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await boViewer.getByLabel('Sidenummer').fill('37');
    await boViewer.getByLabel('Sidenummer').press('Enter');
    await contents.getByRole('button', { name: /^Punkt 7: .*læses nu af Bo Hansen/ }).waitFor({ timeout: 10_000 });
    await contents.getByRole('list', { name: 'Læser nu' }).getByText('Bo Hansen · Punkt 7').waitFor();

    // The revised packet: the Punkt 7 note is one page later; the edited passage is listed to check.
    const v2 = await openViewer(anne, `${server.url}/demo/packet.v2.pdf`);
    await v2.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview2 = v2.getByRole('complementary', { name: 'Overblik' });
    const moved = overview2.getByRole('article').filter({ hasText: 'Status hver måned' });
    await moved.first().waitFor({ timeout: 30_000 });
    await expect(moved.first().textContent()).resolves.toContain('side 37');
    const check = overview2.locator('.rn-moved');
    await check.getByRole('heading', { name: 'Noter at tjekke i denne version' }).waitFor();
    const edited = check.locator('.rn-moved-entry').filter({ hasText: 'Er timetallet realistisk?' });
    await edited.waitFor();
    await expect(edited.textContent()).resolves.toMatch(/fundet omtrent|ikke fundet/);
    await expect(check.locator('.rn-moved-entry').filter({ hasText: 'Status hver måned' }).count()).resolves.toBe(0);
    await edited.getByRole('button', { name: 'Behold' }).click();
    await expect.poll(() => check.locator('.rn-moved-entry').count()).toBe(0);
  });
});
