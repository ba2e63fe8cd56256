/**
 * Where the text of a page is drawn, so the annotated packet can put a highlight exactly over a
 * note's quote. pdf.js reports, per text item, a transform in PDF user space (origin on the
 * baseline, direction of writing) and the item's width and height; the items are kept in the same
 * order and with the same filtering as `textItemsOf`, so item i here is item i of the PageText.
 * Within an item, where a character sits is estimated with a font's widths (the caller's; a
 * Helvetica-compatible one is right for most packets), or by counting characters without one.
 */
import type { PacketText, PageText } from '../text/page-text.ts';
import { itemText, offsetToItemPosition } from '../text/page-text.ts';

export interface TextBox {
  /** Baseline origin in PDF user space. */
  x: number;
  y: number;
  /** Unit vector of the writing direction. */
  dx: number;
  dy: number;
  width: number;
  height: number;
}

/** The boxes of each page's text items, by page number; pages without notes may be missing. */
export type PacketBoxes = ReadonlyMap<number, readonly TextBox[]>;

interface RawItem {
  str?: unknown;
  transform?: unknown;
  width?: unknown;
  height?: unknown;
}

/** The boxes of pdf.js text content items, aligned with `textItemsOf` of the same items. */
export function textBoxesOf(raw: readonly unknown[]): TextBox[] {
  const boxes: TextBox[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null) continue;
    const item = entry as RawItem;
    if (typeof item.str !== 'string' || item.str === '') continue;
    const t = Array.isArray(item.transform) ? (item.transform as number[]) : [1, 0, 0, 1, 0, 0];
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = t;
    const scale = Math.hypot(a, b) || 1;
    const height = typeof item.height === 'number' && item.height > 0 ? item.height : Math.hypot(c, d);
    boxes.push({ x: e, y: f, dx: a / scale, dy: b / scale, width: typeof item.width === 'number' ? item.width : 0, height });
  }
  return boxes;
}

/** A quadrilateral in PDF user space, corners in the order readers expect: upper left, upper right, lower left, lower right. */
export type Quad = [number, number, number, number, number, number, number, number];

/** Share of a glyph's height above and below the baseline (typical Latin fonts). */
const ASCENT = 0.92;
const DESCENT = 0.24;

function quadOf(box: TextBox, from: number, to: number): Quad {
  const along = (f: number) => [box.x + box.dx * box.width * f, box.y + box.dy * box.width * f] as const;
  // Perpendicular to the writing direction, pointing up.
  const px = -box.dy;
  const py = box.dx;
  const [x0, y0] = along(from);
  const [x1, y1] = along(to);
  const up = box.height * ASCENT;
  const down = box.height * DESCENT;
  return [x0 + px * up, y0 + py * up, x1 + px * up, y1 + py * up, x0 - px * down, y0 - py * down, x1 - px * down, y1 - py * down];
}

/** The advance width of a string in some unit; only ratios are used. */
export type Measure = (text: string) => number;

const countChars: Measure = (text) => text.length;

/** The quads covering the range [start, end) of the packet text that lies on `page`. */
export function quadsForRange(
  packet: PacketText,
  boxes: readonly TextBox[],
  page: number,
  start: number,
  end: number,
  measure: Measure = countChars,
): Quad[] {
  const text: PageText | undefined = packet.pages[page - 1];
  const pageStart = packet.pageStarts[page - 1];
  if (!text || pageStart === undefined) return [];
  const from = Math.max(0, start - pageStart);
  const to = Math.min(text.text.length, end - pageStart);
  if (to <= from) return [];
  const first = offsetToItemPosition(text, from);
  const last = offsetToItemPosition(text, to);
  const quads: Quad[] = [];
  for (let i = first.itemIndex; i <= last.itemIndex; i++) {
    const raw = itemText(text, i);
    const box = boxes[i];
    if (raw === undefined || box === undefined || raw.length === 0 || box.width <= 0) continue;
    const a = i === first.itemIndex ? first.rawIndex : 0;
    const b = i === last.itemIndex ? last.rawIndex : raw.length;
    // Skip pieces that are only the spaces between words or lines.
    if (b <= a || raw.slice(a, b).trim() === '') continue;
    const whole = measure(raw) || raw.length;
    const at = (n: number) => (n === 0 ? 0 : n === raw.length ? 1 : measure(raw.slice(0, n)) / whole);
    quads.push(quadOf(box, at(a), at(b)));
  }
  return quads;
}

/** The smallest rectangle [x1, y1, x2, y2] holding every quad. */
export function boundsOf(quads: readonly Quad[]): [number, number, number, number] {
  const xs = quads.flatMap((q) => [q[0], q[2], q[4], q[6]]);
  const ys = quads.flatMap((q) => [q[1], q[3], q[5], q[7]]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The pages a packet range lies on, in order. */
export function pagesOfRange(packet: PacketText, start: number, end: number): number[] {
  const pages: number[] = [];
  for (let p = 1; p <= packet.pages.length; p++) {
    const s = packet.pageStarts[p - 1] as number;
    const e = s + (packet.pages[p - 1] as PageText).text.length;
    if (s < end && e > start) pages.push(p);
  }
  return pages;
}
