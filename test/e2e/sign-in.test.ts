/**
 * "Log ind med din organisation" in Chromium, the whole way: the options page opens the server's
 * /auth/oidc/start in the browser's own sign-in window (`identity.launchWebAuthFlow`, which works
 * in headless Chromium: the window is a page of the browser context), the test signs in at a
 * real OpenID Connect provider on loopback (oidc-provider's development pages), the server sends
 * the window to the extension's https://<id>.chromiumapp.org/ redirect URL, and the extension
 * trades the code for tokens. Then the token at work in the viewer, a silent refresh when the
 * server refuses an expired access token, the sign-in's end ("Log ind igen", in the viewer and
 * an agenda page's sidebar alike), and "Log ud".
 * The server's clock is the test's, so tokens expire without waiting.
 */
import { resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer } from '../support/browser.ts';
import { chromiumRedirect, signInAtProvider } from '../support/extension-sign-in.ts';
import { needs } from '../support/needs.ts';
import { type SignInSetup, startSignInServer } from '../support/sign-in-server.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const DAY_MS = 24 * 3600_000;

needs('chromium')('sign-in with the organisation', () => {
  let browser: ExtensionBrowser;
  let setup: SignInSetup;
  let site: StaticServer;
  let now = Date.now();
  const logLines: string[] = [];
  const logged = (message: string) => logLines.filter((line) => line.includes(`"msg":"${message}"`)).length;

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchWithExtension(), startStaticServer(FIXTURE)]);
    setup = await startSignInServer({
      demoDir: FIXTURE,
      clock: () => new Date(now),
      // Sockets re-check their sign-in often, so its end shows within the test.
      limits: { reauthIntervalMs: 200 },
      logLines,
      logLevel: 'info',
      // The redirect URL of this unpacked build, as identity.getRedirectURL() gives it.
      oidc: { redirects: [chromiumRedirect(browser)] },
    });
    setup.provider.accounts.set('anne-at-idp', { name: 'Anne Jensen', email: 'anne@kommune.dk', groups: ['udvalg'] });
    await setup.server.addGroup('udvalg', 'Socialudvalget');
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([setup?.close(), site?.close()]);
  });

  it('signs in from the options page through the provider, and shows the name and groups; the token field stays', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const account = options.getByRole('region', { name: 'Log ind' });
    await account.getByText('Ikke logget ind med din organisation.').waitFor();
    await account.getByText(chromiumRedirect(browser)).waitFor();

    await options.getByLabel('Serveradresse').fill(setup.server.url);
    await account.getByRole('button', { name: 'Log ind med din organisation' }).click();
    await signInAtProvider(browser, setup.provider.issuer, 'anne-at-idp', async () =>
      account.getByText('Logget ind som Anne Jensen.').isVisible(),
    );
    await expect(account.getByRole('list', { name: 'Dine grupper' }).getByRole('listitem').allTextContents()).resolves.toEqual([
      'Socialudvalget',
    ]);
    await expect(account.getByRole('button', { name: 'Log ind med din organisation' }).isVisible()).resolves.toBe(false);
    await account.getByRole('button', { name: 'Log ud' }).waitFor();
    await expect(options.getByLabel('Token', { exact: true }).count()).resolves.toBe(1);
    await expect(options.getByLabel('Standardgruppe').locator('option').allTextContents()).resolves.toContain('Socialudvalget');
    expect(logged('sign-in tokens issued')).toBe(1);
    await options.close();
  });

  it('syncs notes with the sign-in’s token, and refreshes it once, silently, when the server refuses it as expired', async () => {
    const viewer = await openViewer(browser, `${setup.server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await viewer.getByRole('button', { name: 'Sidenote' }).click();
    await viewer.getByLabel('Notetekst').fill('Med organisationens log ind');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await viewer.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();
    const [packetId] = await waitFor(() => packetIds(setup.server.database), { what: 'registered packet' });
    const me = await waitFor(() => logLines.map((l) => /"msg":"signed in".*?"user":"([^"]+)"/.exec(l)?.[1]).find(Boolean), {
      what: 'the user in the log',
    });
    const stored = await waitFor(async () => {
      const notes = liveAnnotations(await readStoredDoc(setup.server.database, `notes/${me}/${packetId}`));
      return notes.length === 1 ? notes : null;
    });
    expect(stored[0]?.body).toBe('Med organisationens log ind');

    // Eleven minutes later by the server's clock: the 10-minute access token is refused (the
    // extension's clock says it is fresh). The open socket stays: its sign-in holds.
    now += 11 * 60_000;
    const second = await openViewer(browser, `${setup.server.url}/demo/packet.pdf`);
    await second.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await second.getByRole('complementary', { name: 'Overblik' }).getByText('Med organisationens log ind').waitFor();
    expect(logged('sign-in refreshed')).toBe(1);
    await expect(viewer.getByRole('status').textContent()).resolves.toContain('Forbundet');
    await second.close();
    await viewer.close();
  });

  it('says "Log ind igen" with a button when the sign-in has ended, and signs in again from there', async () => {
    const viewer = await openViewer(browser, `${setup.server.url}/demo/packet.pdf`);
    const status = viewer.getByRole('status');
    await status.filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    // An HTML agenda page's sidebar, open at the same time, follows.
    await addMeetingPortal(browser, site.url);
    const agenda = await browser.context.newPage();
    await agenda.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => agenda.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });

    // 31 days on: the sign-in is over (30 days), its socket is closed (4401), and the refresh is refused.
    now += 31 * DAY_MS;
    const again = status.getByRole('button', { name: 'Log ind igen' });
    await again.waitFor({ timeout: 30_000 });
    await expect(status.textContent()).resolves.toContain('Dit log ind er udløbet.');
    await expect(status.textContent()).resolves.not.toContain('Offline');
    await sidebar.getByRole('status').getByRole('button', { name: 'Log ind igen' }).waitFor({ timeout: 30_000 });
    const refreshesBefore = logged('sign-in refreshed');

    await again.click();
    await signInAtProvider(
      browser,
      setup.provider.issuer,
      'anne-at-idp',
      async () => (await status.textContent().catch(() => ''))?.includes('Forbundet') ?? false,
    );
    await status.filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    expect(logged('sign-in tokens issued')).toBe(2);
    expect(logged('sign-in refreshed')).toBe(refreshesBefore);
    expect(logged('a refresh token was used twice: that sign-in is ended')).toBe(0);
    await viewer.getByRole('complementary', { name: 'Overblik' }).getByText('Med organisationens log ind').waitFor();
    // The sidebar was told of the new sign-in too.
    const sidebarStatus = sidebar.getByRole('status');
    await sidebarStatus.filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });

    // Once more, signing in again from the sidebar, an extension frame inside the web page.
    now += 31 * DAY_MS;
    await sidebarStatus.getByRole('button', { name: 'Log ind igen' }).click({ timeout: 30_000 });
    await signInAtProvider(
      browser,
      setup.provider.issuer,
      'anne-at-idp',
      async () => (await sidebarStatus.textContent().catch(() => ''))?.includes('Forbundet') ?? false,
    );
    await status.filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    expect(logged('sign-in tokens issued')).toBe(3);
    await agenda.close();
    await viewer.close();
  });

  it('signs out from the options page: the server ends the sign-in, and open viewers say they are not signed in', async () => {
    const viewer = await openViewer(browser, `${setup.server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const account = options.getByRole('region', { name: 'Log ind' });
    await account.getByText('Logget ind som Anne Jensen.').waitFor();
    await account.getByRole('button', { name: 'Log ud' }).click();
    await account.getByRole('button', { name: 'Log ind med din organisation' }).waitFor();
    await account.getByText('Ikke logget ind med din organisation.').waitFor();
    await waitFor(() => logged('signed out') === 1, { what: 'the sign-out at the server' });
    await viewer.getByRole('status').filter({ hasText: 'Ikke logget ind' }).waitFor({ timeout: 30_000 });
    await options.close();
    await viewer.close();
  });
});
