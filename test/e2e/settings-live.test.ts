/**
 * Settings saved on the options page reach a viewer that is already open, without reloading
 * it: the language of every pane, the group a shared comment preselects, and a new token (the
 * viewer reconnects as that user). Before, the viewer read the settings once, when it opened.
 */
import { resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('settings reach open viewers', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let carls: ExtensionBrowser | undefined;

  beforeAll(async () => {
    [server, site, browser] = await Promise.all([startTestServer({ demoDir: FIXTURE }), startStaticServer(FIXTURE), launchWithExtension()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), carls?.close()]);
    await Promise.all([site?.close(), server?.close()]);
  });

  it('applies a new language, default group and token to an open viewer without reloading it', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await server.addGroup('byraadet', 'Byrådet');
    await server.addMember('byraadet', anne.id);
    const bo = await server.addUser('Bo Hansen', 'socialudvalget');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');

    const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    // Gone if the page reloads.
    await viewer.evaluate(() => Object.assign(window, { openedOnce: true }));

    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    // The page lists the groups once it has asked the server, which saving does.
    await options.getByRole('button', { name: 'Gem' }).click();
    await options.getByLabel('Standardgruppe').locator('option', { hasText: 'Byrådet' }).waitFor({ state: 'attached', timeout: 15_000 });
    await options.getByLabel('Standardgruppe').selectOption('byraadet');
    await options.getByLabel('Sprog').selectOption('en');
    await options.getByRole('button', { name: 'Gem' }).click();
    await options.getByRole('status').filter({ hasText: 'Signed in as Anne Jensen' }).waitFor();

    // The language: every pane of the open viewer.
    const overview = viewer.getByRole('complementary', { name: 'Overview' });
    await overview.getByRole('tab', { name: 'Notes' }).waitFor({ timeout: 30_000 });
    await viewer.getByRole('navigation', { name: 'Contents' }).waitFor();
    await viewer.getByRole('button', { name: 'Page note' }).waitFor();
    await viewer.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await expect(viewer.evaluate(() => document.documentElement.lang)).resolves.toBe('en');

    // The default group: a new shared comment offers it first.
    await selectText(viewer, 2, 'uden bemærkninger');
    await viewer.getByRole('button', { name: 'Share comment' }).click();
    await expect(viewer.getByLabel('Group').inputValue()).resolves.toBe('byraadet');
    await viewer.getByRole('button', { name: 'Cancel' }).click();

    // The token: the viewer reconnects as Bo, and his page note goes to his notes room.
    await options.getByLabel('Token', { exact: true }).fill(bo.token);
    // The options page itself speaks English now, without a reload.
    await options.getByLabel('Display name').fill('Bo Hansen');
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').filter({ hasText: 'Signed in as Bo Hansen' }).waitFor();
    await viewer.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await viewer.getByRole('button', { name: 'Page note' }).click();
    await viewer.getByLabel('Note text').fill('Bos note efter skiftet');
    await viewer.getByRole('button', { name: 'Save' }).click();
    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });
    const stored = await waitFor(
      async () => {
        const notes = liveAnnotations(await readStoredDoc(server.database, `notes/${bo.id}/${packetId}`));
        return notes.length > 0 ? notes : null;
      },
      { timeoutMs: 30_000, what: "Bo's note on the server" },
    );
    expect(stored.map((n) => n.body)).toEqual(['Bos note efter skiftet']);
    expect(stored[0]?.author?.name).toBe('Bo Hansen');

    await expect(viewer.evaluate(() => (window as { openedOnce?: boolean }).openedOnce)).resolves.toBe(true);
  });

  it('applies a new language to the sidebar on an open HTML agenda page', async () => {
    const carl = await server.addUser('Carl Berg', 'socialudvalget');
    // A browser of his own: the first test left the other one in English.
    carls = await launchWithExtension();
    await signIn(carls, server.url, carl.token, 'Carl Berg');
    await addMeetingPortal(carls, site.url);
    const page = await carls.context.newPage();
    await page.goto(`${site.url}/agenda.html`);
    const sidebar: Frame = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    await sidebar.getByRole('navigation', { name: 'Indhold' }).waitFor();
    await sidebar.evaluate(() => Object.assign(window, { openedOnce: true }));

    const options = await carls.context.newPage();
    await options.goto(carls.extensionUrl('options.html'));
    await options.getByLabel('Sprog').selectOption('en');
    await options.getByRole('button', { name: 'Gem' }).click();
    await options.getByRole('status').filter({ hasText: 'Signed in as Carl Berg' }).waitFor();

    await sidebar.getByRole('complementary', { name: 'Overview' }).getByRole('tab', { name: 'Notes' }).waitFor({ timeout: 30_000 });
    await sidebar
      .getByRole('navigation', { name: 'Contents' })
      .getByRole('button', { name: /^Punkt 3:/ })
      .waitFor();
    await sidebar.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await expect(sidebar.evaluate(() => (window as { openedOnce?: boolean }).openedOnce)).resolves.toBe(true);
  });
});
