/**
 * The Firefox build in Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi.
 * WebDriver may not navigate to moz-extension: pages itself, so tests enter the extension the
 * way a web page may: through its one web-accessible page (the sidebar frame), and move on
 * from there to the page they need.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const FIREFOX_BUILD = resolve(import.meta.dirname, '../../extension/.output/firefox-mv3');
const EXTENSION_ID = 'randnoter@randnoter.dk';
/** Fixed internal UUID so the test knows the extension's moz-extension:// origin. */
const EXTENSION_UUID = '8d0c5d7e-5a1e-4c39-9c5e-6a4a1c2b3d4e';

function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) throw new Error(`Firefox not found at ${path}: install it (apt-get install firefox-esr) or set FIREFOX_PATH`);
  return path;
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** Opens an extension page (e.g. "options.html") in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Signs in on the options page and lists the test servers' host under "Mødeportaler" (so the
 * viewer may fetch packets from it), as a user does; fields by id, as WebDriver BiDi has no ARIA
 * queries.
 */
export async function signInFirefox(
  firefox: FirefoxWithExtension,
  user: { serverUrl: string; token: string; name: string; portal: string },
): Promise<void> {
  const options = await firefox.openExtensionPage('options.html');
  await options.locator('#serverUrl').fill(user.serverUrl);
  await options.locator('#token').fill(user.token);
  await options.locator('#displayName').fill(user.name);
  await options.locator('#meetingHosts').fill(new URL(user.portal).hostname);
  await options.locator('button::-p-text(Gem)').click();
  await options.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Logget ind som'), {
    timeout: 15_000,
  });
  await options.close();
}

/**
 * Starts Firefox with the extension. With `downloadDir`, downloads are saved there without asking
 * (Firefox's own settings otherwise, so a PDF still opens in Firefox once saved, as for users).
 */
export async function launchFirefoxWithExtension(options: { downloadDir?: string } = {}): Promise<FirefoxWithExtension> {
  if (!existsSync(join(FIREFOX_BUILD, 'manifest.json'))) throw new Error(`no Firefox build at ${FIREFOX_BUILD}: run npm run build`);
  const profile = mkdtempSync(join(tmpdir(), 'randnoter-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_ID]: EXTENSION_UUID }),
      // Firefox's own test switch: permissions.request() grants without its doorhanger, which
      // WebDriver cannot click. The request still has to come from the user's click.
      'extensions.webextOptionalPermissionPrompts': false,
      ...(options.downloadDir
        ? {
            'browser.download.dir': options.downloadDir,
            'browser.download.folderList': 2,
            'browser.download.useDownloadDir': true,
            'browser.download.always_ask_before_handling_new_types': false,
          }
        : {}),
    },
  });
  await browser.installExtension(FIREFOX_BUILD);
  // A blank web page to start from.
  const blank = createServer((_req, res) => res.end('<!doctype html><title>start</title>'));
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
  const start = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
  const origin = `moz-extension://${EXTENSION_UUID}`;
  return {
    browser,
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await page.goto(start);
      // Puppeteer does not see these navigations as such (the page changes process), so poll the document itself.
      const hop = async (url: string) => {
        await page
          .evaluate((to) => {
            location.href = to;
          }, url)
          .catch(() => {}); // the page may go away while answering

        const deadline = Date.now() + 30_000;
        for (;;) {
          const at = await page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => '');
          if (at === url) return;
          if (Date.now() > deadline) throw new Error(`Firefox did not reach ${url}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await hop(`${origin}/sidebar.html`);
      await hop(`${origin}/${path}`);
      return page;
    },
    async close() {
      await browser.close();
      blank.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
