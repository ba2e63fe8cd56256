/**
 * The in-place overlay in Firefox: the read-only probe runs in the page's world there too
 * (scripting.registerContentScripts with world MAIN, Firefox 128+), the overlay in the viewer's
 * frame, and the sidebar's frame in the top frame.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension, signInFirefox } from '../support/firefox.ts';
import { needs } from '../support/needs.ts';
import { pdfjsPortalDir } from '../support/pdfjs-portal.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('firefox')('a portal’s own pdf.js viewer in Firefox', () => {
  let server: TestServer;
  let site: StaticServer;
  let firefox: FirefoxWithExtension;
  let dir: string;

  beforeAll(async () => {
    dir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'));
    [server, site] = await Promise.all([startTestServer(), startStaticServer(dir)]);
    firefox = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await firefox?.close();
    await Promise.all([site?.close(), server?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('attaches to the portal’s viewer through the probe, with the sidebar in the top frame', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signInFirefox(firefox, { serverUrl: server.url, token: anne.token, name: 'Anne Jensen', portal: site.url });
    const page = await firefox.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(`${site.url}/portal.html`);
    // The probe answered in the viewer's frame (the overlay is made only from its answers), and
    // the top frame hosts the sidebar for it.
    const viewer = await waitFor(() => page.frames().find((f) => f.url().includes('/viewer.html')), { what: 'viewer frame' });
    await viewer.waitForSelector('randnoter-overlay', { timeout: 60_000 });
    await page.waitForSelector('randnoter-pdf-sidebar', { timeout: 30_000 });
    expect(await page.evaluate(() => document.querySelector('randnoter-pdf-sidebar')?.shadowRoot ?? null)).toBeNull();
    // (WebDriver BiDi does not show the extension's frame inside the closed shadow root, so what
    // the sidebar does is checked in Chromium: in-place.test.ts.)
    await page.close();
  });
});
