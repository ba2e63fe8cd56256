/**
 * The keyboard and screen-reader path: a note on a search hit with Alt+N, focus on the saved card
 * and back where it was after "Annuller", advice when nothing is selected, page regions named in
 * the UI's language, and axe-core finding nothing serious or critical on the viewer (with its
 * export panel open), the options page and the sidebar of an HTML agenda page, in Danish and English.
 */
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AxeViolation, seriousViolations } from '../support/axe.ts';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** The violations, readable in a failure message. */
const described = (violations: AxeViolation[]) => violations.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}`);

needs('chromium')('keyboard and screen reader', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [server, site, browser] = await Promise.all([startTestServer({ demoDir: FIXTURE }), startStaticServer(FIXTURE), launchWithExtension()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
  });

  const focusedCardText = (viewer: Page) =>
    viewer.evaluate(() => (document.activeElement?.closest('.rn-card') ? (document.activeElement?.textContent ?? '') : null));

  it('makes a note on a search hit with Alt+N, keeps focus in place, and says what to do when nothing is selected', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await expect(viewer.getByRole('region', { name: 'Side 1', exact: true }).count()).resolves.toBe(1);

    // Nothing selected: Alt+N says so.
    await viewer.getByRole('button', { name: 'Sidenote' }).focus();
    await viewer.keyboard.press('Alt+KeyN');
    await viewer.getByRole('alert').filter({ hasText: 'Markér tekst først' }).waitFor();

    // Find the text with the search field, press Alt+N: the editor quotes the hit.
    const search = viewer.getByRole('searchbox', { name: 'Søg i dokumentet' });
    await search.fill('Dagsordenen blev godkendt');
    await search.press('Enter');
    await viewer.locator('.textLayer .highlight.selected').first().waitFor();
    await search.press('Alt+KeyN');
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await expect(overview.locator('.rn-editor .rn-quote').textContent()).resolves.toBe('Dagsordenen blev godkendt');
    await expect(viewer.getByRole('alert').filter({ hasText: 'Markér tekst først' }).count()).resolves.toBe(0);
    await viewer.getByLabel('Notetekst').fill('Fundet med søgning');
    await viewer.keyboard.press('Control+Enter');
    await expect.poll(() => focusedCardText(viewer)).toContain('Fundet med søgning');

    // "Annuller" on an edit returns focus to the button that opened it.
    const card = overview.getByRole('article').filter({ hasText: 'Fundet med søgning' });
    const editButton = card.getByRole('button', { name: 'Rediger' });
    await editButton.focus();
    await viewer.keyboard.press('Enter');
    await viewer.getByLabel('Notetekst').waitFor();
    await overview.getByRole('button', { name: 'Annuller' }).click();
    await expect.poll(() => viewer.evaluate(() => document.activeElement?.textContent)).toBe('Rediger');
    // "Gem" on an edit returns focus to the card.
    await editButton.click();
    await viewer.getByLabel('Notetekst').fill('Fundet med søgning, rettet');
    await viewer.keyboard.press('Control+Enter');
    await expect.poll(() => focusedCardText(viewer)).toContain('Fundet med søgning, rettet');
    await viewer.close();
  });

  it('has no serious or critical accessibility violations on the viewer, its export panel, options and the sidebar, in Danish and English', async () => {
    // The check itself finds what it should: a button without a name is critical.
    const probe = await browser.context.newPage();
    await probe.setContent('<!doctype html><html lang="da"><title>x</title><main><button></button></main></html>');
    expect((await seriousViolations(probe)).map((v) => v.id)).toContain('button-name');
    await probe.close();

    const bo = await server.addUser('Bo Hansen', 'socialudvalget');
    await signIn(browser, server.url, bo.token, 'Bo Hansen');
    await addMeetingPortal(browser, site.url);
    for (const [language, labels] of [
      ['Dansk', { connected: 'Forbundet', overview: 'Overblik', export: 'Eksporter', save: 'Gem', language: 'Sprog' }],
      ['English', { connected: 'Connected', overview: 'Overview', export: 'Export', save: 'Save', language: 'Language' }],
    ] as const) {
      const options = await browser.context.newPage();
      await options.goto(browser.extensionUrl('options.html'));
      const current = (await options.locator('html').getAttribute('lang')) === 'en' ? 'English' : 'Dansk';
      if (current !== language) {
        await options.locator('#language').selectOption({ label: language });
        await options.locator('form button[type="submit"]').click();
        await options
          .locator('html')
          .and(options.locator(`[lang="${language === 'English' ? 'en' : 'da'}"]`))
          .waitFor();
      }
      await options.getByRole('button', { name: labels.save }).waitFor();
      expect(described(await seriousViolations(options)), `options (${language})`).toEqual([]);
      await options.close();

      const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
      await viewer.getByRole('status').filter({ hasText: labels.connected }).waitFor({ timeout: 60_000 });
      await viewer.getByRole('complementary', { name: labels.overview }).getByRole('button', { name: labels.export, exact: true }).click();
      await viewer.getByRole('form', { name: labels.export }).waitFor();
      expect(described(await seriousViolations(viewer)), `viewer (${language})`).toEqual([]);
      await viewer.close();

      const page = await browser.context.newPage();
      await page.goto(`${site.url}/agenda.html`);
      const sidebar: Frame = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
      await sidebar.getByRole('status').filter({ hasText: labels.connected }).waitFor({ timeout: 30_000 });
      expect(described(await seriousViolations(sidebar)), `sidebar (${language})`).toEqual([]);
      await page.close();
    }
  });
});
