/**
 * Two members of a group read the same packet: a comment, a reply and a resolve appear for the
 * other without reload; a resolved comment says who resolved it and when, and keeps its own
 * time; a deletion can be taken back ("Fortryd") before colleagues lose the comment. A user
 * outside the group sees none of it.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('shared comments, live', () => {
  let server: TestServer;
  let anne: ExtensionBrowser;
  let bo: ExtensionBrowser;
  let carl: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    [anne, bo, carl] = await Promise.all([launchWithExtension(), launchWithExtension(), launchWithExtension()]);
  });
  afterAll(async () => {
    await Promise.all([anne?.close(), bo?.close(), carl?.close()]);
    await server?.close();
  });

  it('shows a comment, its reply and its resolution to the other member without reload, and nothing to outsiders', async () => {
    const users = {
      anne: await server.addUser('Anne Jensen', 'socialudvalget'),
      bo: await server.addUser('Bo Hansen', 'socialudvalget'),
      carl: await server.addUser('Carl Nielsen', 'teknikudvalget'),
    };
    await Promise.all([
      signIn(anne, server.url, users.anne.token, 'Anne Jensen'),
      signIn(bo, server.url, users.bo.token, 'Bo Hansen'),
      signIn(carl, server.url, users.carl.token, 'Carl Nielsen'),
    ]);
    const packetUrl = `${server.url}/demo/packet.pdf`;
    const [a, b, c] = await Promise.all([openViewer(anne, packetUrl), openViewer(bo, packetUrl), openViewer(carl, packetUrl)]);
    for (const page of [a, b, c]) await page.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

    await a.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await selectText(a, 2, 'Louise Rohde');
    await a.getByRole('button', { name: 'Del kommentar' }).click();
    await expect(a.getByLabel('Gruppe').inputValue()).resolves.toBe('socialudvalget');
    await a.getByLabel('Notetekst').fill('Hvem er stedfortræder næste gang?');
    const sent = Date.now();
    await a.getByRole('button', { name: 'Gem' }).click();

    const boOverview = b.getByRole('complementary', { name: 'Overblik' });
    await boOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    const comment = boOverview.getByRole('article').filter({ hasText: 'Hvem er stedfortræder næste gang?' });
    await comment.waitFor({ timeout: 10_000 });
    console.log(`comment reached the other member after ${Date.now() - sent} ms`);
    await expect(comment.textContent()).resolves.toContain('Anne Jensen');
    await expect(comment.textContent()).resolves.toContain('socialudvalget');

    // Bo answers; Anne sees the reply under her comment.
    await comment.getByRole('button', { name: 'Svar' }).click();
    await b.getByLabel('Notetekst').fill('Det gør Lotte selv.');
    await b.getByRole('button', { name: 'Gem' }).click();
    const annesOverview = a.getByRole('complementary', { name: 'Overblik' });
    const annesComment = annesOverview.getByRole('article').filter({ hasText: 'Hvem er stedfortræder næste gang?' });
    await annesComment.getByText('Det gør Lotte selv.').waitFor({ timeout: 10_000 });

    // Anne resolves; Bo sees it resolved, by whom and when, and the comment keeps its own time.
    const ownTime = () => comment.locator(':scope > .rn-meta').evaluate((meta) => meta.firstChild?.textContent ?? '');
    const before = await ownTime();
    await annesComment.getByRole('button', { name: 'Løs' }).first().click();
    const resolvedBadge = comment.locator(':scope > .rn-meta .rn-resolved-badge');
    await resolvedBadge.filter({ hasText: /^Løst af Anne Jensen, \d/ }).waitFor({ timeout: 10_000 });
    await comment.getByRole('button', { name: 'Genåbn' }).waitFor();
    expect(await ownTime()).toBe(before);

    // Anne deletes her comment: it is gone for her at once, with "Fortryd"; Bo still has it.
    const annesDelete = annesComment.getByRole('button', { name: 'Slet' }).first();
    await annesDelete.click();
    const undo = annesOverview.getByRole('button', { name: 'Fortryd' });
    await undo.waitFor();
    await expect(annesOverview.getByRole('status').filter({ hasText: 'Kommentaren er slettet.' }).count()).resolves.toBe(1);
    await expect(a.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Fortryd');
    await expect(annesComment.count()).resolves.toBe(0);
    await undo.click();
    await annesComment.waitFor();
    // Bo never lost it: nothing was sent.
    await expect(comment.count()).resolves.toBe(1);
    // Deleted for good: once "Fortryd" is no longer offered, the deletion reaches Bo.
    await annesComment.getByRole('button', { name: 'Slet' }).first().click();
    await undo.waitFor();
    await comment.waitFor({ state: 'detached', timeout: 30_000 });
    await expect(undo.count()).resolves.toBe(0);

    // Carl is in another group: no comment, and no way to share into socialudvalget.
    const carlsOverview = c.getByRole('complementary', { name: 'Overblik' });
    await carlsOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await expect(carlsOverview.getByText('Hvem er stedfortræder').count()).resolves.toBe(0);
    await expect(carlsOverview.getByText('Det gør Lotte selv.').count()).resolves.toBe(0);
  });
});
