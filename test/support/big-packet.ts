/**
 * A big packet and a slow link, for opening big packets (bench/extension/open-big-packet.ts,
 * test/e2e/big-packet.test.ts): the fixture packet followed by scanned pages (incompressible
 * images, one a page), and a server whose responses share one throttled link, with or without
 * answers to range requests. It counts what it has sent, so a test can tell how much of the file
 * had come when something showed.
 */
import { randomFillSync } from 'node:crypto';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState } from 'pdf-lib';

/** Writes `pages` pages to `path`: `base`'s, then scans making up about `megabytes` MB. */
export async function writeBigPacket(base: string, path: string, pages: number, megabytes: number): Promise<void> {
  const doc = await PDFDocument.load(readFileSync(base));
  const scans = Math.max(1, pages - doc.getPageCount());
  const side = Math.round(Math.sqrt((megabytes * 1e6) / scans / 3));
  const pixels = new Uint8Array(side * side * 3);
  for (let n = doc.getPageCount(); n < pages; n++) {
    randomFillSync(pixels);
    const image = doc.context.register(
      doc.context.stream(pixels, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: side,
        Height: side,
        ColorSpace: 'DeviceRGB',
        BitsPerComponent: 8,
      }),
    );
    const page = doc.addPage([595, 842]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(555, 0, 0, 802, 20, 20), drawObject(name), popGraphicsState());
  }
  // Without object streams: the cross-reference table at the end, as most meeting systems write it.
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
}

export interface SlowSite {
  url: string;
  /** Bytes of `packet.pdf` sent so far, over all requests. */
  readonly packetBytesSent: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  mjs: 'text/javascript',
  js: 'text/javascript',
  css: 'text/css',
  pdf: 'application/pdf',
};

/**
 * Serves `dir` on 127.0.0.1; `packet.pdf` through one link of `bytesPerSecond` shared by all its
 * responses (64 KiB slices), answering range requests only when `ranges`.
 */
export async function startSlowSite(dir: string, options: { ranges: boolean; bytesPerSecond: number }): Promise<SlowSite> {
  let free = performance.now();
  let sent = 0;
  const send = async (res: ServerResponse, path: string, start: number, end: number) => {
    const stream = createReadStream(path, { start, end, highWaterMark: 64 * 1024 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      free = Math.max(free, performance.now()) + (chunk.length / options.bytesPerSecond) * 1000;
      const wait = free - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (res.destroyed) return;
      sent += chunk.length;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
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
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    if (name !== 'packet.pdf') {
      res.writeHead(200, { 'content-type': type, 'content-length': size });
      return void createReadStream(path).pipe(res);
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (options.ranges && range) {
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
    res.writeHead(200, { 'content-type': type, 'content-length': size, ...(options.ranges ? { 'accept-ranges': 'bytes' } : {}) });
    void send(res, path, 0, size - 1);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get packetBytesSent() {
      return sent;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
