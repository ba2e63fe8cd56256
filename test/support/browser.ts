/**
 * The built extension in Debian's Chromium, driven by playwright-core (never a downloaded browser).
 * Each user gets a persistent context with a fresh profile, as a real browser profile would be.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROME_BUILD = resolve(import.meta.dirname, '../../extension/.output/chrome-mv3');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  return path;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

/**
 * Starts Chromium with the extension. Pass `profile` to reopen an earlier browser (its storage
 * and IndexedDB intact); it is then kept on close.
 */
export async function launchWithExtension(options: { profile?: string } = {}): Promise<ExtensionBrowser & { profile: string }> {
  if (!existsSync(join(CHROME_BUILD, 'manifest.json'))) throw new Error(`no extension build at ${CHROME_BUILD}: run npm run build`);
  const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'randnoter-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${CHROME_BUILD}`, `--load-extension=${CHROME_BUILD}`],
    viewport: { width: 1400, height: 900 },
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    profile,
    context,
    extensionId,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close();
      if (!options.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the options page, the way a user does. */
export async function signIn(browser: ExtensionBrowser, serverUrl: string, token: string, displayName: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.getByLabel('Serveradresse').fill(serverUrl);
  await page.getByLabel('Token').fill(token);
  await page.getByLabel('Visningsnavn').fill(displayName);
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByRole('status').filter({ hasText: 'Logget ind som' }).waitFor({ timeout: 15_000 });
  await page.close();
}

export async function openViewer(browser: ExtensionBrowser, fileUrl: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`viewer error: ${error.message}`));
  page.on('console', (message) => {
    // Refused connections are expected while a test has the server down.
    const text = message.text();
    if (message.type() === 'error' && !text.includes('net::ERR_') && !text.startsWith('WebSocket connection to'))
      console.error(`viewer console: ${text}`);
  });
  await page.goto(`${browser.extensionUrl('viewer.html')}?file=${encodeURIComponent(fileUrl)}`);
  return page;
}

/**
 * Selects the first occurrence of `text` within one text-layer span of the given page. Text
 * spans are found by the layer's structure: pdf.js takes `role="presentation"` off the span
 * before each link or annotation.
 */
export async function selectText(page: Page, pageNumber: number, text: string): Promise<void> {
  const span = page.locator(`.page[data-page-number="${pageNumber}"] .textLayer span:not(.markedContent)`, { hasText: text }).first();
  await span.waitFor();
  await span.evaluate((el, wanted) => {
    const node = el.firstChild as Text;
    const at = node.data.indexOf(wanted);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + wanted.length);
    const selection = document.getSelection() as Selection;
    selection.removeAllRanges();
    selection.addRange(range);
  }, text);
}
