/**
 * "Log ind med din organisation" in Firefox: its redirect URL is
 * https://<sha1 of the add-on id>.extensions.allizom.org/ (so pinning the add-on id pins it), and
 * `identity.launchWebAuthFlow` signs in through the loopback provider as in Chromium. Puppeteer's
 * ARIA queries are not available over WebDriver BiDi, so this test finds elements by CSS and text.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from '../support/firefox.ts';
import { needs } from '../support/needs.ts';
import { type SignInSetup, startSignInServer } from '../support/sign-in-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const FIREFOX_REDIRECT = `https://${createHash('sha1').update('randnoter@randnoter.dk').digest('hex')}.extensions.allizom.org/`;

needs('firefox')('sign-in with the organisation in Firefox', () => {
  let firefox: FirefoxWithExtension;
  let setup: SignInSetup;

  beforeAll(async () => {
    setup = await startSignInServer({ demoDir: FIXTURE, oidc: { redirects: [FIREFOX_REDIRECT] } });
    setup.provider.accounts.set('anne-at-idp', { name: 'Anne Jensen', groups: ['udvalg'] });
    await setup.server.addGroup('udvalg', 'Socialudvalget');
    firefox = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await firefox?.close();
    await setup?.close();
  });

  it('signs in through the sign-in window with the redirect URL of the pinned add-on id, and syncs', async () => {
    const options = await firefox.openExtensionPage('options.html');
    const section = () => options.evaluate(() => document.querySelector('.sign-in')?.textContent ?? '');
    expect(await section()).toContain(FIREFOX_REDIRECT);
    await options.locator('#serverUrl').fill(setup.server.url);
    await options.locator('button::-p-text(Log ind med din organisation)').click();

    // The sign-in window: the provider's login page, then its consent page (bounded by waitFor's time).
    for (const step of ['login', 'consent']) {
      const page = await waitFor(
        async () => {
          for (const p of await firefox.browser.pages()) {
            if (!p.url().startsWith(setup.provider.issuer)) continue;
            const ready = await p
              .evaluate(
                (s) => (s === 'login' ? !!document.querySelector('input[name=login]') : !!document.querySelector('button[type=submit]')),
                step,
              )
              .catch(() => false);
            if (ready) return p;
          }
          return null;
        },
        { timeoutMs: 30_000, what: `the provider's ${step} page` },
      );
      if (step === 'login') {
        await page.locator('input[name=login]').fill('anne-at-idp');
        await page.locator('input[name=password]').fill('any password');
        await page.locator('button::-p-text(Sign-in)').click();
      } else {
        await page.locator('button::-p-text(Continue)').click();
      }
    }
    await options.waitForFunction(() => document.querySelector('.sign-in-state')?.textContent === 'Logget ind som Anne Jensen.', {
      timeout: 30_000,
    });
    await options.waitForFunction(() => document.querySelector('.sign-in-groups')?.textContent === 'Socialudvalget', { timeout: 15_000 });
    // The packet's site is listed as a meeting portal, as a user does, so the viewer may fetch it.
    await options.locator('#meetingHosts').fill(new URL(setup.server.url).hostname);
    await options.locator('button::-p-text(Gem)').click();
    await options.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('gemt'), { timeout: 15_000 });

    const viewer = await firefox.openExtensionPage(`viewer.html?file=${encodeURIComponent(`${setup.server.url}/demo/packet.pdf`)}`);
    await viewer.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Forbundet'), { timeout: 60_000 });
  });
});
