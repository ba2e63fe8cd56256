/**
 * The options page: labelled fields, sign-in feedback in plain Danish (what to do, never an
 * exception's or the server's English words), an address completed with its scheme, groups, and
 * switching the language to English at once, this page included.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('options', () => {
  let server: TestServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demoDir: FIXTURE }), launchWithExtension()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, offers the groups, explains mistakes and switches the whole UI to English', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    // The form is there once the settings and the organisation's policy are read.
    await page.getByRole('button', { name: 'Gem' }).waitFor();
    for (const label of ['Serveradresse', 'Token', 'Visningsnavn', 'Standardgruppe', 'Sprog', "Åbn PDF'er automatisk", 'Mødeportaler']) {
      await expect(page.getByLabel(label, { exact: true }).count(), label).resolves.toBe(1);
    }
    const result = page.getByRole('status');

    await page.getByLabel('Serveradresse').fill('ftp://server.example');
    await page.getByRole('button', { name: 'Gem' }).click();
    await result.filter({ hasText: 'http:// eller https://' }).waitFor();

    // Nobody answers at this address (a port nothing listens on): say what to check, not "Failed to fetch".
    await page.getByLabel('Serveradresse').fill('http://127.0.0.1:9');
    await page.getByLabel('Token', { exact: true }).fill(anne.token);
    await page.getByRole('button', { name: 'Gem' }).click();
    await result.filter({ hasText: 'Kunne ikke logge ind. Serveren svarer ikke – tjek Serveradresse' }).waitFor();

    // Typed without its scheme: http:// for this machine (https:// elsewhere), the path dropped.
    await page.getByLabel('Serveradresse').fill(`${server.url.replace('http://', '')}/sti/`);
    await page.getByLabel('Token', { exact: true }).fill('rn_forkert');
    await page.getByRole('button', { name: 'Gem' }).click();
    await result.filter({ hasText: 'Kunne ikke logge ind. Forkert eller udløbet token' }).waitFor();
    await expect(result.textContent()).resolves.not.toMatch(/revoked|unknown|token:|Failed/);
    await expect(page.getByLabel('Serveradresse').inputValue()).resolves.toBe(server.url);

    await page.getByLabel('Token', { exact: true }).fill(anne.token);
    await page.getByRole('button', { name: 'Gem' }).click();
    await result.filter({ hasText: 'Logget ind som Anne Jensen' }).waitFor();
    await expect(page.getByLabel('Serveradresse').inputValue()).resolves.toBe(server.url);
    await expect(page.getByLabel('Standardgruppe').locator('option').allTextContents()).resolves.toContain('socialudvalget');
    await expect(page.getByLabel('Standardgruppe').inputValue()).resolves.toBe('socialudvalget');

    await page.getByLabel('Sprog').selectOption('en');
    await page.getByRole('button', { name: 'Gem' }).click();
    // This page too, at once: no reload.
    await page.getByRole('status').filter({ hasText: 'Signed in as Anne Jensen' }).waitFor();
    await page.getByLabel('Server address').waitFor();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await page.reload();
    await page.getByLabel('Server address').waitFor();

    const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    const overview = viewer.getByRole('complementary', { name: 'Overview' });
    await overview.getByRole('tab', { name: 'Notes' }).waitFor({ timeout: 60_000 });
    await overview.getByRole('tab', { name: 'Shared comments' }).waitFor();
    await viewer.getByRole('navigation', { name: 'Contents' }).waitFor();
    await viewer.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await expect(viewer.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
  });

  it('says in the viewer that the server does not answer, and what to check, when the address is wrong', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const other = await launchWithExtension();
    try {
      const page = await other.context.newPage();
      await page.goto(other.extensionUrl('options.html'));
      await page.getByLabel('Serveradresse').fill('127.0.0.1:9');
      await page.getByLabel('Token', { exact: true }).fill(anne.token);
      await page.getByRole('button', { name: 'Gem' }).click();
      await page.getByRole('status').filter({ hasText: 'Serveren svarer ikke' }).waitFor();
      const viewer = await openViewer(other, `${server.url}/demo/packet.pdf`);
      const status = viewer.getByRole('status').filter({ hasText: 'Offline' });
      await status.waitFor({ timeout: 60_000 });
      await expect(status.textContent()).resolves.toBe(
        'Offline. Serveren svarer ikke – tjek Serveradresse i indstillingerne og din internetforbindelse.',
      );
    } finally {
      await other.close();
    }
  });
});
