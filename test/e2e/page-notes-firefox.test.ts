/**
 * A scan's image print is the same in Chromium and Firefox (within PAGE_MATCH.image.same): a
 * region note drawn on a scan in Chromium is found on the moved scan in Firefox, in the
 * republished packet. (Firefox is driven by puppeteer over WebDriver BiDi: no ARIA queries, so
 * fields are found by id and structure, as in firefox-smoke.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { type FirefoxWithExtension, launchFirefoxWithExtension, signInFirefox } from '../support/firefox.ts';
import { needs } from '../support/needs.ts';
import { SCANS, type ScannedPackets, writeScannedPackets } from '../support/scanned-packet.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const SCAN_V1 = SCANS.v1[0].page; // the first scan: page 38 of packet.pdf, 39 of packet.v2.pdf
const SCAN_V2 = SCANS.v2[0].page;

needs('chromium', 'firefox')('scans across browsers', () => {
  let server: TestServer;
  let chromium: ExtensionBrowser;
  let firefox: FirefoxWithExtension;
  let scanned: ScannedPackets;

  beforeAll(async () => {
    scanned = await writeScannedPackets();
    server = await startTestServer({ demoDir: scanned.dir });
    chromium = await launchWithExtension();
    firefox = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await firefox?.close();
    await chromium?.close();
    await server?.close();
    scanned?.remove();
  });

  it('finds a region note drawn on a scan in Chromium on the moved scan in Firefox', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(chromium, server.url, anne.token, 'Anne Jensen');
    const v1 = await openViewer(chromium, `${server.url}/demo/packet.pdf`);
    await v1.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await v1.getByLabel('Sidenummer').fill(String(SCAN_V1));
    await v1.getByLabel('Sidenummer').press('Enter');
    const scan = v1.locator(`.page[data-page-number="${SCAN_V1}"]`);
    await v1.locator(`.page[data-page-number="${SCAN_V1}"][data-loaded]`).waitFor({ timeout: 30_000 });
    await scan.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await v1.getByRole('button', { name: 'Områdenote' }).click();
    const box = await scan.boundingBox();
    if (!box) throw new Error('the scan is not laid out');
    await v1.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.05);
    await v1.mouse.down();
    await v1.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.15, { steps: 5 });
    await v1.mouse.up();
    await v1.getByRole('button', { name: 'Tilføj note' }).click();
    await v1.getByLabel('Notetekst').fill('Logoet');
    await v1.getByRole('button', { name: 'Gem' }).click();
    await v1.getByRole('status').filter({ hasText: 'Gemt' }).waitFor({ timeout: 30_000 });

    await signInFirefox(firefox, { serverUrl: server.url, token: anne.token, name: 'Anne Jensen', portal: server.url });

    const v2 = await firefox.openExtensionPage(`viewer.html?file=${encodeURIComponent(`${server.url}/demo/packet.v2.pdf`)}`);
    await v2.setViewport({ width: 1400, height: 900 });
    await v2.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Forbundet'), { timeout: 60_000 });
    const cardOf = (body: string) => {
      const el = [...document.querySelectorAll<HTMLElement>('.rn-cards article')].find((card) => card.textContent?.includes(body));
      return el ? { status: el.dataset.status, text: el.textContent ?? '', id: el.dataset.annotationId } : null;
    };
    await v2.waitForFunction(cardOf, { timeout: 30_000 }, 'Logoet');
    const shown = await v2.evaluate(cardOf, 'Logoet');
    if (!shown) throw new Error('the card went away');
    expect(shown.status).toBe('anchored');
    expect(shown.text).toContain(`side ${SCAN_V2}`);
    await v2.evaluate((page) => document.querySelector(`.page[data-page-number="${page}"]`)?.scrollIntoView(), SCAN_V2);
    await v2.waitForSelector(`.page[data-page-number="${SCAN_V2}"] .rn-highlight-region[data-annotation-id="${shown.id}"]`, {
      timeout: 30_000,
    });
  });
});
