/**
 * Exports stay out of the way in Firefox too (issue 31, point 7). Firefox opens a PDF it has
 * downloaded in a new tab that comes to the front; the viewer tab, now in the background, stopped
 * drawing pages until the user came back. The export must be saved without a new tab and with the
 * viewer still the tab in front. (WebDriver BiDi has no ARIA queries: fields by id and structure.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension, signInFirefox } from '../support/firefox.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('firefox')('exports in Firefox', () => {
  let server: TestServer;
  let firefox: FirefoxWithExtension;
  const downloads = mkdtempSync(join(tmpdir(), 'randnoter-firefox-downloads-'));

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    firefox = await launchFirefoxWithExtension({ downloadDir: downloads });
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('saves the annotated packet and the overview PDF without a new tab, the viewer staying in front', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signInFirefox(firefox, { serverUrl: server.url, token: anne.token, name: 'Anne Jensen', portal: server.url });
    const viewer = await firefox.openExtensionPage(`viewer.html?file=${encodeURIComponent(`${server.url}/demo/packet.pdf`)}`);
    await viewer.setViewport({ width: 1400, height: 900 });
    await viewer.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Forbundet'), { timeout: 60_000 });
    const tabsBefore = (await firefox.browser.pages()).length;

    await viewer.locator('.rn-export-toggle').click();
    // Markdown last: Firefox opens a PDF as soon as it is saved, so by the time a later export is
    // saved, any tab an earlier one opened is there.
    for (const [format, ending] of [
      ['pdf', 'med noter.pdf'],
      ['overview-pdf', '.pdf'],
      ['md', '.md'],
    ] as const) {
      const saved = new Set(readdirSync(downloads));
      await viewer.evaluate(() => {
        document.querySelector('.rn-export-status')?.replaceChildren();
      });
      await viewer.select('#rn-export-format', format);
      await viewer.locator('#rn-export-form button[type="submit"]').click();
      await viewer.waitForFunction(() => document.querySelector('.rn-export-status')?.textContent?.startsWith('Gemt som'), {
        timeout: 60_000,
      });
      // Saved whole: Firefox writes to a .part file first.
      const file = await waitFor(
        () => readdirSync(downloads).find((f) => !saved.has(f) && f.endsWith(ending) && !existsSync(join(downloads, `${f}.part`))),
        { what: `${format} in the downloads folder`, timeoutMs: 30_000 },
      );
      expect(file).toMatch(/^(Overblik - )?2023-01-23 - /);
      if (ending.endsWith('.pdf')) {
        await waitFor(() => readFileSync(join(downloads, file)).subarray(-8).toString('latin1').includes('%%EOF'), {
          what: `${file} written to its end`,
        });
      }
    }
    expect(await firefox.browser.pages()).toHaveLength(tabsBefore);
    await expect(viewer.evaluate(() => document.visibilityState)).resolves.toBe('visible');
  });
});
