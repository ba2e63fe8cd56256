/**
 * The packet's normalised text: the coordinate system of every TextPositionSelector.
 *
 * Per page, pdf.js text items are joined the way pdf.js's own find controller joins them
 * (items concatenated, an end-of-line becomes a space), then whitespace runs collapse to one
 * space, soft hyphens and zero-width characters vanish, compatibility forms (ligatures such as
 * "ﬁ") are unfolded with NFKC, and each page is trimmed. Pages are joined by a single space,
 * so a selection across a page break is ordinary text.
 *
 * The text layer shows one element per text item, so a DOM position is (item, character); this
 * module maps such positions to offsets and back without keeping a per-character table.
 *
 * Each page also records its lines (where pdf.js ended a line or the baseline moved) with the
 * font size: agenda detection reads headings from them. They are ranges over the page text, so
 * they add no text and change no offset.
 */

/** The fields of a pdf.js TextItem that the text model reads. */
export interface TextItemLike {
  str: string;
  hasEOL?: boolean;
  /** pdf.js transform [a, b, c, d, x, y]; used to notice a line change pdf.js did not flag. */
  transform?: number[];
  height?: number;
}

/** One printed line: a range of the page's text and the largest font size on it (0 when unknown). */
export interface PageLine {
  start: number;
  end: number;
  size: number;
}

export interface PageText {
  /** 1-based page number. */
  page: number;
  text: string;
  /**
   * The page's lines in reading order; `text` is these ranges joined by single spaces. Only agenda
   * detection reads them: empty in a packet kept `withoutLines` once its agenda is detected.
   */
  lines: PageLine[];
  /**
   * The raw strings of the text items, in text-layer order, read with `itemText`: null for an
   * item whose string is its own stretch of `text` (most are), so the characters are held once.
   */
  items: Array<string | null>;
  /**
   * Normaliser state where each item starts, to replay mapping for one item on demand: the length
   * of the normalised text before the item, times two, plus one when a collapsed space is pending
   * (`packStart`). Numbers rather than objects: a big packet has tens of thousands of items.
   */
  itemStarts: number[];
}

interface ItemStart {
  /** Length of the normalised text before the item. */
  offset: number;
  /** Whether a collapsed space is pending (emitted before the next visible character). */
  pendingSpace: boolean;
}

function packStart(start: ItemStart): number {
  return start.offset * 2 + (start.pendingSpace ? 1 : 0);
}

function unpackStart(packed: number): ItemStart {
  return { offset: Math.floor(packed / 2), pendingSpace: packed % 2 === 1 };
}

export interface PacketText {
  text: string;
  pages: PageText[];
  /** Offset in `text` where each page starts (index 0 = page 1). */
  pageStarts: number[];
}

const PAGE_SEPARATOR = ' ';
const INVISIBLE = /\u00AD|\u200B|\u200C|\u200D|\u2060|\uFEFF/;
const SPACE = /\s/;

/** Replays normalisation; `emit` sees each raw index and the offset its output starts at. */
class Normaliser {
  parts: string[] = [];
  length = 0;
  pendingSpace = false;

  constructor(start?: ItemStart) {
    if (start) {
      this.length = start.offset;
      this.pendingSpace = start.pendingSpace;
    }
  }

  state(): ItemStart {
    return { offset: this.length, pendingSpace: this.pendingSpace };
  }

  /** Feeds raw text; calls `onChar(rawIndex, offset)` before each code unit is consumed. */
  feed(raw: string, onChar?: (rawIndex: number, offset: number) => void): void {
    for (let i = 0; i < raw.length; i++) {
      const code = raw.charCodeAt(i);
      const isPair = code >= 0xd800 && code <= 0xdbff && i + 1 < raw.length;
      const ch = isPair ? raw.slice(i, i + 2) : (raw[i] as string);
      onChar?.(i, this.visibleOffset());
      if (isPair) onChar?.(i + 1, this.visibleOffset());
      this.push(ch);
      if (isPair) i++;
    }
  }

  /** Where the next visible character will land (after a pending space, if any). */
  visibleOffset(): number {
    return this.length + (this.pendingSpace && this.length > 0 ? 1 : 0);
  }

  space(): void {
    this.pendingSpace = true;
  }

  private push(ch: string): void {
    if (SPACE.test(ch)) {
      this.pendingSpace = true;
      return;
    }
    if (INVISIBLE.test(ch)) return;
    const folded = ch.normalize('NFKC');
    if (folded.length === 0) return;
    if (SPACE.test(folded)) {
      this.pendingSpace = true;
      return;
    }
    if (this.pendingSpace && this.length > 0) {
      this.parts.push(' ');
      this.length += 1;
    }
    this.pendingSpace = false;
    this.parts.push(folded);
    this.length += folded.length;
  }
}

/** True when pdf.js put two items on different lines without flagging hasEOL. */
function changesLine(prev: TextItemLike, next: TextItemLike): boolean {
  const a = prev.transform;
  const b = next.transform;
  if (!a || !b || a.length < 6 || b.length < 6) return false;
  const height = Math.max(prev.height ?? 0, next.height ?? 0, 1);
  return Math.abs((a[5] as number) - (b[5] as number)) > height * 0.5;
}

/**
 * pdf.js text content in text-layer order: marked-content markers dropped, and items with an
 * empty string (which the text layer never shows) folded into their neighbour's line break.
 * Index i of the result is the i-th text element of the page's text layer.
 */
export function textItemsOf(raw: readonly unknown[]): TextItemLike[] {
  const items: TextItemLike[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as TextItemLike).str !== 'string') continue;
    const item = entry as TextItemLike;
    if (item.str === '') {
      // A line break before any text has nothing to attach to; the page trim would drop it anyway.
      const last = items.at(-1);
      if (item.hasEOL && last) items[items.length - 1] = { ...last, hasEOL: true };
      continue;
    }
    const kept: TextItemLike = { str: item.str, hasEOL: item.hasEOL === true };
    if (item.transform) kept.transform = item.transform;
    if (item.height !== undefined) kept.height = item.height;
    items.push(kept);
  }
  return items;
}

/** The font size of an item: pdf.js gives `height`; the transform's vertical scale is the fallback. */
function sizeOf(item: TextItemLike): number {
  if (item.str.trim() === '') return 0;
  if (item.height !== undefined && item.height > 0) return item.height;
  const t = item.transform;
  return t && t.length >= 4 ? Math.hypot(t[2] as number, t[3] as number) : 0;
}

export function buildPageText(page: number, items: readonly TextItemLike[]): PageText {
  const normaliser = new Normaliser();
  const itemStarts: number[] = [];
  const lineStarts: Array<{ start: number; size: number }> = [];
  let prev: TextItemLike | undefined;
  for (const item of items) {
    const newLine = !prev || prev.hasEOL === true || changesLine(prev, item);
    if (prev && !prev.hasEOL && newLine) normaliser.space();
    if (newLine) lineStarts.push({ start: normaliser.visibleOffset(), size: 0 });
    const line = lineStarts[lineStarts.length - 1] as { start: number; size: number };
    line.size = Math.max(line.size, sizeOf(item));
    itemStarts.push(packStart(normaliser.state()));
    normaliser.feed(item.str);
    if (item.hasEOL) normaliser.space();
    prev = item;
  }
  const text = normaliser.parts.join('');
  const raw = items.map((item, i) => (itemSpan(text, itemStarts, i) === item.str ? null : item.str));
  return { page, text, lines: linesOf(text, lineStarts), items: raw, itemStarts };
}

/** The stretch of the page text item i wrote: from its first visible character to where the next item starts. */
function itemSpan(text: string, itemStarts: readonly number[], i: number): string {
  const { offset, pendingSpace } = unpackStart(itemStarts[i] as number);
  const next = itemStarts[i + 1];
  return text.slice(offset + (pendingSpace && offset > 0 ? 1 : 0), next === undefined ? text.length : unpackStart(next).offset);
}

/** The raw string of a page's text item i, as pdf.js gave it (undefined past the last item). */
export function itemText(page: PageText, i: number): string | undefined {
  const raw = page.items[i];
  if (raw === undefined) return undefined;
  return raw ?? itemSpan(page.text, page.itemStarts, i);
}

/** Closes each line where the next begins, dropping the joining space and lines that held only spaces. */
function linesOf(text: string, starts: ReadonlyArray<{ start: number; size: number }>): PageLine[] {
  const lines: PageLine[] = [];
  for (const [i, { start, size }] of starts.entries()) {
    let end = Math.min(text.length, starts[i + 1]?.start ?? text.length);
    while (end > start && text[end - 1] === ' ') end--;
    if (end > start) lines.push({ start, end, size: Math.round(size * 10) / 10 });
  }
  return lines;
}

/** The text of one line of a page. */
export function lineText(page: PageText, line: PageLine): string {
  return page.text.slice(line.start, line.end);
}

export function buildPacketText(pages: readonly PageText[]): PacketText {
  const pageStarts: number[] = [];
  let offset = 0;
  for (const page of pages) {
    pageStarts.push(offset);
    offset += page.text.length + PAGE_SEPARATOR.length;
  }
  const text = pages.map((p) => p.text).join(PAGE_SEPARATOR);
  // Each page's text becomes a slice of the packet's, which V8 keeps as a view of it: the text is
  // held once, not twice.
  const sliced = pages.map((page, i) => {
    const start = pageStarts[i] as number;
    return { ...page, text: text.slice(start, start + page.text.length) };
  });
  return { text, pages: sliced, pageStarts };
}

/**
 * The packet without its pages' lines, for a viewer that has detected its agenda and keeps the
 * text to anchor notes: an object and a number for each of a big packet's thousands of lines.
 */
export function withoutLines(packet: PacketText): PacketText {
  return { ...packet, pages: packet.pages.map((page) => ({ ...page, lines: [] })) };
}

/** Page-local offset of a text-layer position (item index, UTF-16 index within the item's string). */
export function itemPositionToOffset(page: PageText, itemIndex: number, rawIndex: number): number {
  const start = page.itemStarts[itemIndex];
  const raw = itemText(page, itemIndex);
  if (start === undefined || raw === undefined) return page.text.length;
  const normaliser = new Normaliser(unpackStart(start));
  let found = -1;
  normaliser.feed(raw, (i, offset) => {
    if (i === rawIndex && found < 0) found = offset;
  });
  const result = found >= 0 ? found : normaliser.visibleOffset();
  return Math.min(result, page.text.length);
}

/** The text-layer position of a page-local offset: the item that holds it and the index inside it. */
export function offsetToItemPosition(page: PageText, offset: number): { itemIndex: number; rawIndex: number } {
  // Last item starting at or before the offset (binary search over start offsets).
  let lo = 0;
  let hi = page.itemStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (unpackStart(page.itemStarts[mid] as number).offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  for (let itemIndex = lo; itemIndex < page.items.length; itemIndex++) {
    const raw = itemText(page, itemIndex) as string;
    const packed = page.itemStarts[itemIndex];
    const normaliser = new Normaliser(packed === undefined ? undefined : unpackStart(packed));
    let rawIndex = -1;
    normaliser.feed(raw, (i, at) => {
      if (rawIndex < 0 && at >= offset) rawIndex = i;
    });
    if (rawIndex >= 0) return { itemIndex, rawIndex };
    if (normaliser.length > offset) return { itemIndex, rawIndex: raw.length };
  }
  const last = Math.max(0, page.items.length - 1);
  return { itemIndex: last, rawIndex: itemText(page, last)?.length ?? 0 };
}

/** 1-based page holding a packet offset. */
export function pageAtOffset(packet: PacketText, offset: number): number {
  let lo = 0;
  let hi = packet.pageStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((packet.pageStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function pageStart(packet: PacketText, page: number): number {
  return packet.pageStarts[page - 1] ?? packet.text.length;
}
