/**
 * What one page says about the agenda: the heading it starts with (its "mark"), whether it is a
 * list of headings (contents, an agenda, earlier minutes) and the contents entries on it.
 *
 * A page's head is its first few lines after the furniture. Only a heading in the head marks the
 * page: an item heading anywhere in the head, an attachment header naming its item anywhere in
 * the head, a header naming only the attachment ("Bilag 2: …") only as the very first line.
 * Headings further down are running text (minutes of an earlier meeting, lists of documents).
 */
import { lineText, type PageLine, type PageText } from '../text/page-text.ts';
import {
  type ContentsEntry,
  cleanTitle,
  type Heading,
  headingOf,
  type LabelledLine,
  parseHeading,
  readLabel,
  splitContentsLine,
  type Vocabulary,
} from './agenda-grammar.ts';
import { furnitureKey } from './page-furniture.ts';

/** Lines after the furniture in which a page's heading may stand. */
const HEAD_LINES = 3;
/** At most this many further lines continue a wrapped heading or contents entry. */
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
  /**
   * For each line of the page's head, the text from there on (a few lines, without a leading
   * label) in `titleKey` form: to find a heading that repeats a contents entry's title. Computed
   * when first asked (only a packet with a contents page asks).
   */
  head: () => readonly string[];
}

export interface Line {
  text: string;
  size: number;
}

/** A contents line read for its shape only, before the packet's words are known. */
export interface RawContentsEntry {
  labelled: LabelledLine;
  /** The printed page number. */
  page: number;
}

/** The page's lines, without its furniture. */
export function linesOf(page: PageText, furniture: ReadonlySet<string>): Line[] {
  return page.lines
    .map((line: PageLine) => ({ text: lineText(page, line), size: line.size }))
    .filter((line) => !furniture.has(furnitureKey(line.text)));
}

/** Made at each use, not kept: V8 keeps a regular expression's compiled code while the object lives (agenda-grammar.ts). */
const NOT_LETTERS = String.raw`[^\p{L}\p{N}]+`;

/** A title compared loosely: letters and digits only, lower case. */
export function titleKey(text: string): string {
  return text.toLowerCase().replace(new RegExp(NOT_LETTERS, 'gu'), '');
}

/** Characters of a title compared with a page's head. */
const TITLE_PREFIX = 30;

/** True when a line of the page's head starts with the title (a heading that repeats a contents entry). */
export function repeatsTitle(reading: PageReading, title: string): boolean {
  const key = titleKey(title).slice(0, TITLE_PREFIX);
  return key.length >= 4 && reading.head().some((line) => line.startsWith(key));
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
function wrappedTitle(heading: Heading, lines: readonly Line[], at: number, bodySize: number, vocabulary: Vocabulary): string {
  const head = lines[at] as Line;
  const parts = heading.title ? [heading.title] : [];
  let size = head.size;
  for (let i = at + 1; i < lines.length && i <= at + MAX_TITLE_LINES; i++) {
    const line = lines[i] as Line;
    if (parseHeading(line.text, vocabulary)) break;
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

/**
 * Printed page numbers may run ahead of PDF pages by this much; a larger number ending a line is
 * part of its text ("Budget 2025"), not a page.
 */
const PAGE_SLACK = 10;

/**
 * Entries of a contents listing; an entry may wrap, the page number ending its last line. An
 * entry begun at the foot of the previous page (`carried`) goes on at the top of this one; what
 * is left unfinished at the foot of this page is `pending`.
 */
function contentsLines<T>(
  lines: readonly Line[],
  read: (text: string) => T | null,
  starts: (text: string) => boolean,
  carried: string | null = null,
): { entries: T[]; pending: string | null } {
  const entries: T[] = [];
  let pending: string | null = carried;
  let pendingLines = carried === null ? 0 : 1;
  for (const { text } of lines) {
    const startsEntry = starts(text);
    const candidate: string | null = startsEntry ? text : pending !== null ? `${pending} ${text}` : null;
    if (candidate === null) continue;
    const entry = read(candidate);
    if (entry) {
      entries.push(entry);
      pending = null;
    } else {
      pendingLines = startsEntry ? 1 : pendingLines + 1;
      pending = pendingLines <= MAX_TITLE_LINES ? candidate : null;
    }
  }
  return { entries, pending };
}

/** A line ending in a number that may be a page of this packet. */
function pageEnding(text: string, pageCount: number): { text: string; page: number } | null {
  const split = splitContentsLine(text);
  return split && split.page >= 1 && split.page <= pageCount + PAGE_SLACK ? split : null;
}

/** Contents lines by their shape alone: a label, a title, a page number. */
export function rawContentsOf(
  lines: readonly Line[],
  pageCount: number,
  carried: string | null = null,
): { entries: RawContentsEntry[]; pending: string | null } {
  return contentsLines(
    lines,
    (text) => {
      const split = pageEnding(text, pageCount);
      const labelled = split ? readLabel(split.text) : null;
      return labelled && split && (labelled.title !== '' || labelled.plainTitle) ? { labelled, page: split.page } : null;
    },
    (text) => readLabel(text) !== null,
    carried,
  );
}

/** A subheading over a list of attachments: "Bilag", "Bilag:", "Attachments", "Anlagen". */
const LIST_HEADING =
  /^(?:bilag|bilaga|bilagor|bilagsliste|vedlagte bilag|attachments?|appendi(?:x|ces)|annex(?:es)?|enclosures?|anlagen?)\s*:?$/iu;

/**
 * An attachment header in a list on an item's page ("Bilag" and the item's attachments, one per
 * line) is not a running header, even when the list begins a page: it follows a list subheading,
 * or the next line names another attachment of the same item.
 */
function inList(lines: readonly Line[], at: number, heading: Heading, vocabulary: Vocabulary): boolean {
  if (heading.kind !== 'attachment') return false;
  const before = lines[at - 1];
  if (before && LIST_HEADING.test(before.text.trim())) return true;
  const after = lines[at + 1];
  const next = after ? parseHeading(after.text, vocabulary) : null;
  return heading.item !== null && next?.kind === 'attachment' && next.item === heading.item && next.number !== heading.number;
}

export function readPage(page: PageText, lines: readonly Line[], vocabulary: Vocabulary, pageCount: number): PageReading {
  const contents = contentsLines(
    lines,
    (text) => {
      const split = pageEnding(text, pageCount);
      const labelled = split ? readLabel(split.text) : null;
      const heading = labelled ? headingOf(labelled, vocabulary) : null;
      return heading && split && heading.title !== '' ? { heading, page: split.page } : null;
    },
    (text) => parseHeading(text, vocabulary) !== null,
  ).entries;
  const itemNumbers = new Set<number>();
  for (const line of lines) {
    const heading = parseHeading(line.text, vocabulary);
    if (heading?.kind === 'item' && heading.strength === 'keyword') itemNumbers.add(heading.number);
  }
  const listing = itemNumbers.size >= LISTING_HEADINGS || contents.length >= 2;
  let headKeys: string[] | null = null;
  const head = () =>
    (headKeys ??= lines.slice(0, HEAD_LINES).map((line, i) => {
      const following = lines.slice(i + 1, i + 1 + MAX_TITLE_LINES).map((l) => l.text);
      const labelled = readLabel(line.text);
      return titleKey([labelled ? (labelled.plainTitle ?? labelled.title) : line.text, ...following].join(' '));
    }));
  const reading: PageReading = { page: page.page, blank: page.text.trim() === '', mark: null, listing, contents, head };
  const bodySize = bodySizeOf(lines);
  for (let at = 0; at < Math.min(HEAD_LINES, lines.length); at++) {
    const line = lines[at] as Line;
    const heading = parseHeading(line.text, vocabulary);
    if (!heading) continue;
    if (heading.kind === 'attachment' && heading.item === null && at > 0) break;
    if (heading.kind === 'item' && listing) break;
    if (inList(lines, at, heading, vocabulary)) break;
    reading.mark = { ...heading, title: wrappedTitle(heading, lines, at, bodySize, vocabulary), size: line.size, bodySize };
    break;
  }
  return reading;
}

/** True when the heading is set larger than the page's body text. */
export const setApart = (mark: PageMark) => mark.size > 0 && mark.size > mark.bodySize + SIZE_TOLERANCE;
