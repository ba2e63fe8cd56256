/**
 * What one page says about the agenda: the heading it starts with (its "mark"), whether it is a
 * list of headings (contents, an agenda, earlier minutes) and the contents entries on it.
 *
 * A page's head is its first few lines after the furniture. Only a heading in the head marks the
 * page: an item heading anywhere in the head, an attachment header naming its item anywhere in
 * the head, a header naming only the attachment ("Bilag 2: …") only as the very first line.
 * Headings further down are running text (minutes of an earlier meeting, lists of documents).
 */
import { lineText, type PageLine, type PageText } from '../anchoring/page-text.ts';
import { type ContentsEntry, cleanTitle, type Heading, parseContentsEntry, parseHeading } from './agenda-grammar.ts';
import { furnitureKey } from './page-furniture.ts';

/** Lines after the furniture in which a page's heading may stand. */
const HEAD_LINES = 3;
/** At most this many further lines continue a wrapped heading. */
const MAX_TITLE_LINES = 4;
/** A page with this many different item headings is a list of items, not the start of one. */
const LISTING_HEADINGS = 3;
/** Font sizes closer than this are the same size. */
const SIZE_TOLERANCE = 0.5;

export type PageMark = Heading & {
  /** Font size of the heading line (0 when unknown). */
  size: number;
  /** The page's most common font size: the body text. */
  bodySize: number;
};

export interface PageReading {
  page: number;
  /** True when the page has no text at all (a scan without a text layer, or a blank page). */
  blank: boolean;
  mark: PageMark | null;
  /** The page lists several item headings or has contents entries: never an item's first page. */
  listing: boolean;
  contents: ContentsEntry[];
}

interface Line {
  text: string;
  size: number;
}

function linesOf(page: PageText, furniture: ReadonlySet<string>): Line[] {
  return page.lines
    .map((line: PageLine) => ({ text: lineText(page, line), size: line.size }))
    .filter((line) => !furniture.has(furnitureKey(line.text)));
}

/** The size most of the page's characters are set in. */
function bodySizeOf(lines: readonly Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  let best = 0;
  let most = -1;
  for (const [size, count] of chars) {
    if (count > most) [best, most] = [size, count];
  }
  return best;
}

const sameSize = (a: number, b: number) => a > 0 && b > 0 && Math.abs(a - b) < SIZE_TOLERANCE;

/**
 * A heading set apart by its size may wrap onto more lines of the same size; one set like the
 * body text may not (the next line is body text). A heading without a title takes the next line.
 */
function wrappedTitle(heading: Heading, lines: readonly Line[], at: number, bodySize: number): string {
  const head = lines[at] as Line;
  const parts = heading.title ? [heading.title] : [];
  let size = head.size;
  for (let i = at + 1; i < lines.length && i <= at + MAX_TITLE_LINES; i++) {
    const line = lines[i] as Line;
    if (parseHeading(line.text)) break;
    if (parts.length === 0) {
      // "Punkt 3" alone: its title is the next line, unless that line is plainly body text.
      if (heading.kind !== 'item' || sameSize(line.size, bodySize)) break;
      parts.push(line.text);
      size = line.size;
      continue;
    }
    if (!sameSize(line.size, size) || sameSize(size, bodySize)) break;
    parts.push(line.text);
  }
  return cleanTitle(parts.join(' '));
}

/** Contents entries on a page; an entry may wrap, the page number ending its last line. */
function contentsOf(lines: readonly Line[]): ContentsEntry[] {
  const entries: ContentsEntry[] = [];
  let pending: string | null = null;
  let pendingLines = 0;
  for (const { text } of lines) {
    const startsHeading = parseHeading(text) !== null;
    const candidate: string | null = startsHeading ? text : pending !== null ? `${pending} ${text}` : null;
    if (candidate === null) continue;
    const entry = parseContentsEntry(candidate);
    if (entry) {
      entries.push(entry);
      pending = null;
    } else {
      pendingLines = startsHeading ? 1 : pendingLines + 1;
      pending = pendingLines <= MAX_TITLE_LINES ? candidate : null;
    }
  }
  return entries;
}

export function readPage(page: PageText, furniture: ReadonlySet<string>): PageReading {
  const lines = linesOf(page, furniture);
  const contents = contentsOf(lines);
  const itemNumbers = new Set<number>();
  for (const line of lines) {
    const heading = parseHeading(line.text);
    if (heading?.kind === 'item' && heading.strength === 'keyword') itemNumbers.add(heading.number);
  }
  const listing = itemNumbers.size >= LISTING_HEADINGS || contents.length >= 2;
  const reading: PageReading = { page: page.page, blank: page.text.trim() === '', mark: null, listing, contents };
  const bodySize = bodySizeOf(lines);
  for (let at = 0; at < Math.min(HEAD_LINES, lines.length); at++) {
    const line = lines[at] as Line;
    const heading = parseHeading(line.text);
    if (!heading) continue;
    if (heading.kind === 'attachment' && heading.item === null && at > 0) break;
    if (heading.kind === 'item' && listing) break;
    reading.mark = { ...heading, title: wrappedTitle(heading, lines, at, bodySize), size: line.size, bodySize };
    break;
  }
  return reading;
}
