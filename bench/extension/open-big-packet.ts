/**
 * How soon a big packet opens: Randnoter's viewer and pdf.js's own viewer (its viewer components
 * loading by URL, as pdf.js's generic viewer does; test/support/pdfjs-portal.ts) side by side in
 * one run, each opening the same 300-page, ~100 MB packet over a throttled loopback link
 * (20 Mbit/s, shared by all of a run's requests), from a server that answers range requests and
 * from one that does not. Prints the time to the first page drawn, for Randnoter's viewer the
 * time until Indhold lists the packet's agenda, and the page's JavaScript heap after opening.
 *
 *   npm run build && node bench/extension/open-big-packet.ts [-- --pages 300 --mbit 20]
 *
 * The packet is the fixture packet (46 pages of text with its agenda) followed by scanned pages:
 * incompressible images, one per page, as scanned attachments are.
 */
import { randomFillSync } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { type ExtensionBrowser, launchWithExtension } from '../../test/support/browser.ts';
import { pdfjsPortalDir } from '../../test/support/pdfjs-portal.ts';
import { waitFor } from '../../test/support/wait-for.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '300' }, mbit: { type: 'string', default: '20' } } });
const PAGES = Number(values.pages);
const BYTES_PER_SECOND = (Number(values.mbit) * 1e6) / 8;
const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/packets/rdm-2023-01/packet.pdf');
/** 100 MB over the scanned pages. */
const SCAN_SIDE = Math.round(Math.sqrt(100e6 / Math.max(1, PAGES - 46) / 3));

async function bigPacket(path: string): Promise<void> {
  const doc = await PDFDocument.load(readFileSync(FIXTURE));
  const pixels = new Uint8Array(SCAN_SIDE * SCAN_SIDE * 3);
  for (let n = doc.getPageCount(); n < PAGES; n++) {
    randomFillSync(pixels);
    const image = doc.context.register(
      doc.context.stream(pixels, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: SCAN_SIDE,
        Height: SCAN_SIDE,
        ColorSpace: 'DeviceRGB',
        BitsPerComponent: 8,
      }),
    );
    const page = doc.addPage([595, 842]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(555, 0, 0, 802, 20, 20), drawObject(name), popGraphicsState());
  }
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
}

/** One loopback link at the given rate: every response's bytes queue for it in 64 KiB slices. */
function throttledLink() {
  let free = performance.now();
  return async (res: ServerResponse, path: string, start: number, end: number) => {
    const stream = createReadStream(path, { start, end, highWaterMark: 64 * 1024 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      free = Math.max(free, performance.now()) + (chunk.length / BYTES_PER_SECOND) * 1000;
      const wait = free - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (res.destroyed) return;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };
}

/** Serves the portal's folder; `packet.pdf` through the throttled link, with or without range answers. */
async function startServer(dir: string, ranges: boolean) {
  const send = throttledLink();
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    mjs: 'text/javascript',
    css: 'text/css',
    pdf: 'application/pdf',
  };
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    if (!/^[\w.-]+$/.test(name)) return void res.writeHead(404).end();
    const path = join(dir, name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return void res.writeHead(404).end();
    }
    const type = types[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (name !== 'packet.pdf') {
      res.writeHead(200, { 'content-type': type, 'content-length': size });
      return void createReadStream(path).pipe(res);
    }
    if (ranges && range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
      res.writeHead(206, {
        'content-type': type,
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${size}`,
        'accept-ranges': 'bytes',
      });
      return void send(res, path, start, end);
    }
    res.writeHead(200, { 'content-type': type, 'content-length': size, ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
    void send(res, path, 0, size - 1);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

type Page = Awaited<ReturnType<ExtensionBrowser['context']['newPage']>>;

async function heapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
}

const firstPage = '.page[data-page-number="1"][data-loaded="true"], .page[data-page-number="1"] canvas';

const dir = pdfjsPortalDir(FIXTURE);
console.log(`building a ${PAGES}-page packet…`);
await bigPacket(join(dir, 'packet.pdf'));
console.log(`packet: ${(statSync(join(dir, 'packet.pdf')).size / 1e6).toFixed(1)} MB, link ${values.mbit} Mbit/s`);
const browser = await launchWithExtension();
const rows: string[] = [];
try {
  for (const ranges of [true, false]) {
    for (const who of ['pdf.js', 'Randnoter'] as const) {
      const server = await startServer(dir, ranges);
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
        await waitFor(
          async () =>
            (await page
              .getByRole('navigation', { name: 'Indhold' })
              .getByRole('button', { name: /^Punkt 7:/ })
              .count()) > 0,
          {
            timeoutMs: 300_000,
            intervalMs: 50,
            what: 'Indhold',
          },
        );
        contents = `, Indhold complete ${((performance.now() - started) / 1000).toFixed(2)} s`;
      }
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
