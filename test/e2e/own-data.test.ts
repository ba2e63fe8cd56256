/**
 * "Hent mine data" on the options page: a button found by its name, which downloads everything the
 * server stores about the signed-in user as one JSON file, and says in plain Danish what went
 * wrong when it cannot (never the server's English words).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

needs('chromium')('own data in the options page', () => {
  let server: TestServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchWithExtension()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('downloads the signed-in user’s data, and explains in Danish when it cannot', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    const button = page.getByRole('button', { name: 'Hent mine data' });
    await button.waitFor();
    const said = page.locator('#ownData-status');

    // Not signed in yet: say what to do.
    await button.click();
    await said.filter({ hasText: 'Log ind først' }).waitFor();

    await page.getByLabel('Serveradresse').fill(server.url);
    await page.getByLabel('Token', { exact: true }).fill(anne.token);
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByRole('status').filter({ hasText: 'Logget ind som Anne Jensen' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const file = join(await mkdtemp(join(tmpdir(), 'own-data-')), download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^randnoter-mine-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format: string; user: { id: string; name: string } };
    expect(data).toMatchObject({ format: 'randnoter-own-data/1', user: { id: anne.id, name: 'Anne Jensen' } });
    await said.filter({ hasText: `Dine data er gemt som ${download.suggestedFilename()}.` }).waitFor();

    // The token revoked meanwhile: the server's refusal, in the user's terms.
    await server.db.updateTable('tokens').set({ revoked: new Date().toISOString() }).where('user_id', '=', anne.id).execute();
    await button.click();
    await said.filter({ hasText: 'Dine data kunne ikke hentes. Forkert eller udløbet token' }).waitFor();
    await expect(said.textContent()).resolves.not.toMatch(/revoked|unknown|HTTP|Failed/);
  });
});
