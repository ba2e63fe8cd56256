/**
 * "Log ind med din organisation" in the built extension in Chromium, as a user does it: the
 * options page's button opens the server's /auth/oidc/start in the browser's sign-in window
 * (`identity.launchWebAuthFlow`; in headless Chromium that window is a page of the browser
 * context), and the user signs in at the test provider's development pages (oidc-provider.ts).
 */
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser.ts';
import { waitFor } from './wait-for.ts';

/** The redirect URL of the extension as loaded (identity.getRedirectURL()): what the server must allow. */
export const chromiumRedirect = (browser: ExtensionBrowser) => `https://${browser.extensionId}.chromiumapp.org/`;

/**
 * Answers the provider's development pages in the sign-in window (login, then consent) until
 * `done` holds; a provider that remembers the user shows none of them. Bounded: six pages.
 */
export async function signInAtProvider(
  browser: ExtensionBrowser,
  issuer: string,
  account: string,
  done: () => Promise<boolean>,
): Promise<void> {
  for (let step = 0; step < 6; step++) {
    const next = await waitFor(
      async () => ((await done()) ? 'done' : (browser.context.pages().find((p) => p.url().startsWith(issuer)) ?? null)),
      { timeoutMs: 30_000, what: 'the provider’s page in the sign-in window, or the sign-in done' },
    );
    if (next === 'done') return;
    const page: Page = next;
    const before = page.url();
    const login = page.locator('input[name="login"]');
    const moved = page.waitForURL((url) => url.href !== before, { timeout: 30_000 }).catch(() => {}); // or the window closed
    if ((await login.count()) > 0) {
      await login.fill(account);
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    } else {
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await moved;
  }
  throw new Error('the provider asked more than six times');
}

/** Signs in from the options page; resolves once the page names the user. Returns the options page. */
export async function signInWithOrganisation(
  browser: ExtensionBrowser,
  serverUrl: string,
  provider: { issuer: string },
  account: string,
  name: string,
): Promise<Page> {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await options.getByLabel('Serveradresse').fill(serverUrl);
  const section = options.getByRole('region', { name: 'Log ind' });
  await section.getByRole('button', { name: 'Log ind med din organisation' }).click();
  await signInAtProvider(browser, provider.issuer, account, () => section.getByText(`Logget ind som ${name}.`).isVisible());
  return options;
}
