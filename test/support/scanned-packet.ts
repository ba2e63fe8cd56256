/**
 * The fixture rdm-2023-01 with scanned pages: the last two pages of "Punkt 7, Bilag 1" become
 * scans (a picture of a typed letter, no text layer) in both versions. The republished packet
 * inserts an attachment before Punkt 7, so the two scans are pages 38–39 of packet.pdf and
 * 39–40 of packet.v2.pdf: the second scan's old page number holds the first scan in v2.
 * Written with pdf-lib from generated images, so the same seed always gives the same files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zlibSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { seededRandom } from './seeded-random.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** Which pages are scans, and with which picture (the seed of the letter drawn). */
export const SCANS = {
  v1: [
    { page: 38, seed: 11 },
    { page: 39, seed: 12 },
  ],
  v2: [
    { page: 39, seed: 11 },
    { page: 40, seed: 12 },
  ],
} as const;

export interface ScannedPackets {
  /** A folder holding packet.pdf and packet.v2.pdf with the scans. */
  dir: string;
  remove(): void;
}

export async function writeScannedPackets(): Promise<ScannedPackets> {
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-scanned-'));
  for (const [name, scans] of [
    ['packet.pdf', SCANS.v1],
    ['packet.v2.pdf', SCANS.v2],
  ] as const) {
    writeFileSync(join(dir, name), await withScans(await readFile(join(FIXTURE, name)), scans));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function withScans(bytes: Uint8Array, scans: ReadonlyArray<{ page: number; seed: number }>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes);
  for (const { page, seed } of scans) {
    const index = page - 1;
    const { width, height } = doc.getPage(index).getSize();
    doc.removePage(index);
    const scan = doc.insertPage(index, [width, height]);
    scan.drawImage(await doc.embedPng(letterPng(seed)), { x: 0, y: 0, width, height });
  }
  return doc.save({ useObjectStreams: false });
}

const WIDTH = 420;
const HEIGHT = 594;

/** A typed letter as a scanner sees it: grey paper with noise and shading, a letterhead, paragraphs of words, a signature. */
function letterPixels(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const grey = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) grey[y * WIDTH + x] = Math.round(240 - (x / WIDTH) * 8 + (random() - 0.5) * 12);
  const ink = (x0: number, y0: number, w: number, h: number, level: number) => {
    for (let y = Math.max(0, y0); y < Math.min(HEIGHT, y0 + h); y++)
      for (let x = Math.max(0, x0); x < Math.min(WIDTH, x0 + w); x++) grey[y * WIDTH + x] = Math.round(level + (random() - 0.5) * 30);
  };
  // Letterhead: a logo and the sender's name, placed differently per letter.
  const logoX = 30 + Math.floor(random() * 300);
  ink(logoX, 28, 44, 44, 70);
  ink(40, 90, 120 + Math.floor(random() * 150), 9, 50);
  let y = 120 + Math.floor(random() * 40);
  while (y < HEIGHT - 110) {
    const lines = 2 + Math.floor(random() * 7);
    const indent = random() < 0.3 ? 30 : 0;
    for (let line = 0; line < lines && y < HEIGHT - 110; line++) {
      const end = line === lines - 1 ? 80 + random() * 220 : 330 + random() * 40;
      let x = 40 + (line === 0 ? indent : 0);
      while (x < end) {
        const word = 6 + Math.floor(random() * 34);
        ink(x, y, Math.min(word, Math.ceil(end - x)), 5, 60);
        x += word + 5;
      }
      y += 12;
    }
    y += 10 + Math.floor(random() * 24);
  }
  // A signature.
  for (let x = 0; x < 90; x++) ink(60 + x, HEIGHT - 80 + Math.round(Math.sin((x + seed) / 6) * 8), 2, 3, 40);
  return grey;
}

function letterPng(seed: number): Uint8Array {
  const pixels = letterPixels(seed);
  const raw = new Uint8Array((WIDTH + 1) * HEIGHT);
  for (let row = 0; row < HEIGHT; row++) raw.set(pixels.subarray(row * WIDTH, (row + 1) * WIDTH), row * (WIDTH + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, WIDTH);
  view.setUint32(4, HEIGHT);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grey, no interlace
  return concat([
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
