/**
 * The built extension in Debian's Chromium, driven by playwright-core (never a downloaded browser).
 * Each user gets a persistent context with a fresh profile, as a real browser profile would be.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROME_BUILD = resolve(import.meta.dirname, '../../extension/.output/chrome-mv3');
/** The build the tests load (testBuild). */
const TEST_BUILD = `${CHROME_BUILD}-e2e`;
const STAMP = 'e2e-source.txt';
/** The test servers' host: the one site the test build's user has allowed already. */
const TEST_HOST = '127.0.0.1';

/** What the test build adds to the manifest. */
const GRANTED = { host_permissions: [`*://${TEST_HOST}/*`] };

/** What the build is now (every file's path, size and time) and what is added: either changed makes a new test build. */
function buildStamp(): string {
  const hash = createHash('sha256').update(JSON.stringify(GRANTED));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hash.update(`${relative(CHROME_BUILD, path)} ${stat.size} ${stat.mtimeMs}\n`);
    }
  };
  walk(CHROME_BUILD);
  return hash.digest('hex');
}

/**
 * The Chrome build, as installed by a user who once allowed the test servers' host (127.0.0.1, any
 * port) when Randnoter asked: its manifest grants that host. Chrome's permission question is a
 * browser dialog no automation can answer (it stays open), so without this every test that adds a
 * site would hang there. Everything else is the build itself; a site still gets the page script
 * only once it is listed ("Mødeportaler"), and every other host is as the build has it.
 */
function testBuild(): string {
  if (!existsSync(join(CHROME_BUILD, 'manifest.json'))) throw new Error(`no extension build at ${CHROME_BUILD}: run npm run build`);
  const stamp = buildStamp();
  if (existsSync(join(TEST_BUILD, STAMP)) && readFileSync(join(TEST_BUILD, STAMP), 'utf8') === stamp) return TEST_BUILD;
  const staging = `${TEST_BUILD}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(CHROME_BUILD, staging, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify({ ...manifest, ...GRANTED }));
  writeFileSync(join(staging, STAMP), stamp);
  rmSync(TEST_BUILD, { recursive: true, force: true });
  renameSync(staging, TEST_BUILD);
  return TEST_BUILD;
}

/**
 * The id Chromium gives the unpacked test build: derived from its directory (sha256 of the path,
 * first 32 hex digits written a-p). A policy file must name it before the browser starts.
 */
export function testBuildId(): string {
  const path = testBuild();
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode(97 + Number.parseInt(c, 16)))
    .join('');
}

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
  const build = testBuild();
  const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'randnoter-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${build}`, `--load-extension=${build}`],
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

/**
 * Adds the site of `url` to "Mødeportaler" on the options page, the way a user does: from then on
 * its pages get the page script (sidebar, highlights).
 */
export async function addMeetingPortal(browser: ExtensionBrowser, url: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  const field = page.getByLabel('Mødeportaler');
  const listed = (await field.inputValue()).split('\n').filter((line) => line.trim() !== '');
  await field.fill([...listed, new URL(url).hostname].join('\n'));
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByRole('status').filter({ hasText: 'gemt' }).waitFor({ timeout: 15_000 });
  await page.close();
}

/**
 * Counts the execution contexts Randnoter's page scripts get in `page` from now on (their isolated
 * world, through the DevTools protocol): a page script registered for a page's site runs before
 * the page has loaded (the PDF takeover script at its start, the agenda script when it is idle).
 */
export async function watchPageScripts(browser: ExtensionBrowser, page: Page): Promise<() => number> {
  const session = await browser.context.newCDPSession(page);
  let worlds = 0;
  session.on('Runtime.executionContextCreated', ({ context }) => {
    const { auxData, origin } = context as { auxData?: { type?: string }; origin: string };
    if (auxData?.type === 'isolated' && origin.startsWith(`chrome-extension://${browser.extensionId}`)) worlds++;
  });
  await session.send('Runtime.enable');
  return () => worlds;
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
