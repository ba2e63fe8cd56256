/**
 * An organisation configures Randnoter by policy (issue 27, point 5): Chromium on Linux reads
 * /etc/chromium/policies/managed/*.json, and `3rdparty.extensions.<extension id>` reaches the
 * extension through storage.managed, checked against its managed schema. The options page shows
 * what the policy sets as locked ("Indstillet af din organisation"), the sites it lists are active
 * without the user listing them, and a change of the policy applies while the browser runs:
 * `ssoOnly` takes the token field away.
 *
 * The policy file is the machine's: the test writes its own, names only the test build's id in it,
 * and removes it afterwards. Without the right to write there (not root) the suite is skipped.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, testBuildId } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { CHROMIUM_POLICY_DIR } from '../support/system-parts.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const POLICY_FILE = join(CHROMIUM_POLICY_DIR, `randnoter-e2e-${process.pid}.json`);

/** The text of what describes a field (aria-describedby), as a screen reader reads it. */
const description = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );

needs('chromium', 'chromiumPolicy')('managed configuration', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let serverUrl: string;

  const writePolicy = (policy: Record<string, unknown>) => {
    mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
    writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [testBuildId()]: policy } } }));
  };

  beforeAll(async () => {
    [server, site] = await Promise.all([startTestServer(), startStaticServer(FIXTURE)]);
    // An address the test build has no access to: the server answers the extension's CORS requests.
    serverUrl = server.url.replace('//127.0.0.1:', '//localhost:');
    writePolicy({
      serverUrl,
      lockServerUrl: true,
      overlayHosts: ['127.0.0.1'],
      organisationName: 'Testkommune',
      supportUrl: 'https://intra.testkommune.example/randnoter',
      notInTheSchema: 'dropped by Chromium',
    });
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    rmSync(POLICY_FILE, { force: true });
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
  });

  it('locks what the policy sets, lists its sites and signs in at its server', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const address = options.getByLabel('Serveradresse');
    await expect(address.inputValue()).resolves.toBe(serverUrl);
    await expect(address.isDisabled()).resolves.toBe(true);
    await expect(description(options, 'Serveradresse')).resolves.toBe('Indstillet af din organisation');
    // What the policy does not set stays the user's.
    await expect(options.getByLabel('Sprog').isDisabled()).resolves.toBe(false);
    await expect(description(options, 'Sprog')).resolves.toBe('');
    await options.getByText('Randnoter er sat op af Testkommune.').waitFor();
    await expect(options.getByRole('link', { name: 'Hjælp og support' }).getAttribute('href')).resolves.toBe(
      'https://intra.testkommune.example/randnoter',
    );
    await expect(description(options, 'Mødeportaler')).resolves.toContain('Fra din organisation: 127.0.0.1.');

    await options.getByLabel('Token', { exact: true }).fill(anne.token);
    await options.getByRole('button', { name: 'Gem' }).click();
    await options.getByRole('status').filter({ hasText: 'Logget ind som Anne Jensen' }).waitFor({ timeout: 15_000 });
    // The user's own value stays underneath: the policy's address is not stored as theirs.
    const stored = await options.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
      return ((await chrome.storage.local.get('settings')).settings as { serverUrl: string }).serverUrl;
    });
    expect(stored).toBe('');

    // The organisation's site is active without the user listing it.
    const agenda = await browser.context.newPage();
    await agenda.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => agenda.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    await Promise.all([agenda.close(), options.close()]);
  });

  it('applies a changed policy while the browser runs: ssoOnly takes the token field and the token away', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.getByLabel('Token', { exact: true }).waitFor();
    const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

    writePolicy({ serverUrl, lockServerUrl: true, ssoOnly: true, language: 'en' });
    // Chromium notices the file (it watches the folder) and tells the extension (storage.onChanged, 'managed').
    await options.getByLabel('Server address').waitFor({ timeout: 90_000 });
    await expect(options.getByLabel('Token', { exact: true }).count()).resolves.toBe(0);
    await expect(options.getByLabel('Language').isDisabled()).resolves.toBe(true);
    await expect(description(options, 'Language')).resolves.toBe('Set by your organisation');
    // The open viewer follows: in English, and without a token it is not signed in.
    await viewer.getByRole('complementary', { name: 'Overview' }).waitFor({ timeout: 30_000 });
    await viewer.getByRole('status').filter({ hasText: 'Not signed in' }).waitFor({ timeout: 30_000 });
    await Promise.all([viewer.close(), options.close()]);
  });
});
