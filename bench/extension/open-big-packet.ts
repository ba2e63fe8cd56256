/**
 * How soon a big packet opens: Randnoter's viewer and pdf.js's own viewer (its viewer components
 * loading by URL, as pdf.js's generic viewer does; test/support/pdfjs-portal.ts) side by side in
 * one run, each opening the same 300-page, ~100 MB packet over a throttled loopback link
 * (20 Mbit/s, shared by all of a run's requests), from a server that answers range requests and
 * from one that does not. Prints the time to the first page drawn, for Randnoter's viewer the
 * time until Indhold lists the packet's agenda and until every page is read (the viewer ready),
 * and the page's JavaScript heap after opening (for both viewers once the whole file has come,
 * after a garbage collection).
 *
 *   npm run build && node bench/extension/open-big-packet.ts [-- --pages 300 --mbit 20]
 *
 * The packet is the fixture packet (46 pages of text with its agenda) followed by scanned pages:
 * incompressible images, one per page, as scanned attachments are.
 */
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSlowSite, writeBigPacket } from '../../test/support/big-packet.ts';
import { type ExtensionBrowser, launchWithExtension } from '../../test/support/browser.ts';
import { pdfjsPortalDir } from '../../test/support/pdfjs-portal.ts';
import { waitFor } from '../../test/support/wait-for.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '300' }, mbit: { type: 'string', default: '20' } } });
const PAGES = Number(values.pages);
const BYTES_PER_SECOND = (Number(values.mbit) * 1e6) / 8;
const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/packets/rdm-2023-01/packet.pdf');

type Page = Awaited<ReturnType<ExtensionBrowser['context']['newPage']>>;

/** The page's JavaScript heap after a full garbage collection (what it keeps, not what it has yet to free). */
async function heapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
}

const firstPage = '.page[data-page-number="1"][data-loaded="true"], .page[data-page-number="1"] canvas';

const dir = pdfjsPortalDir(FIXTURE);
console.log(`building a ${PAGES}-page packet…`);
await writeBigPacket(FIXTURE, join(dir, 'packet.pdf'), PAGES, 100);
const size = statSync(join(dir, 'packet.pdf')).size;
console.log(`packet: ${(size / 1e6).toFixed(1)} MB, link ${values.mbit} Mbit/s`);
const browser = await launchWithExtension();
const rows: string[] = [];
try {
  for (const ranges of [true, false]) {
    for (const who of ['pdf.js', 'Randnoter'] as const) {
      const server = await startSlowSite(dir, { ranges, bytesPerSecond: BYTES_PER_SECOND });
      const page = await browser.context.newPage();
      const started = performance.now();
      await page.goto(
        who === 'pdf.js'
          ? `${server.url}/viewer.html?file=packet.pdf`
          : `${browser.extensionUrl('viewer.html')}?file=${encodeURIComponent(`${server.url}/packet.pdf`)}`,
      );
      await waitFor(async () => (await page.locator(firstPage).count()) > 0, { timeoutMs: 300_000, intervalMs: 20, what: 'first page' });
      const first = performance.now() - started;
      let contents = '';
      if (who === 'Randnoter') {
        // Read by a script of the page's own, not by Playwright's role engine: that would compile
        // into this page only and weigh on its heap (pdf.js's page is asked by a CSS selector).
        await waitFor(
          () =>
            page.evaluate(() =>
              [...document.querySelectorAll('nav[aria-label="Indhold"] button')].some((b) => /^Punkt 7:/.test(b.textContent ?? '')),
            ),
          {
            timeoutMs: 300_000,
            intervalMs: 50,
            what: 'Indhold',
          },
        );
        contents = `, Indhold lists the agenda ${((performance.now() - started) / 1000).toFixed(2)} s`;
        // Every page read: the annotator has taken Indhold over (notes, anchoring, exports).
        await waitFor(() => page.evaluate(() => document.body.dataset.ready === 'true'), {
          timeoutMs: 300_000,
          intervalMs: 50,
          what: 'every page read',
        });
        contents += `, complete ${((performance.now() - started) / 1000).toFixed(2)} s`;
      }
      // Both viewers measured at the same point: the file has come (a viewer that fetched parts twice sends more).
      await waitFor(() => server.packetBytesSent >= size, { timeoutMs: 300_000, intervalMs: 50, what: 'the whole file' });
      const heap = await heapMb(page);
      rows.push(
        `${ranges ? 'ranges   ' : 'no ranges'}  ${who.padEnd(9)}  first page ${(first / 1000).toFixed(2)} s${contents}, JS heap ${heap.toFixed(1)} MB`,
      );
      console.log(rows.at(-1));
      await page.close();
      await server.close();
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
