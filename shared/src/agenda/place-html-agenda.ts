/**
 * An HTML agenda page's structure placed on the pages of the packet PDF it links to (issue 26,
 * point 5), for when the PDF's own structure is unsure. The page says which items and attachments
 * there are; the PDF must say where: an item starts on the page whose head has its title (after its
 * label, if any, ending at a line's end); an attachment linked as `packet.pdf#page=N` starts on page
 * N if its title stands in that page's head, any other one on the one run of pages in its item
 * whose heads carry its title. Every doubt gives up the whole placement: a title found nowhere, or
 * in two places the order cannot decide between, an attachment outside its item, a page link its
 * page does not confirm, a page without text (a scan) just before an attachment found by its
 * header. Never a wrong place: unsure stays unsure.
 */
import type { PageText } from '../text/page-text.ts';
import { lineText } from '../text/page-text.ts';
import { readLabel } from './agenda-grammar.ts';
import type { AgendaOutline } from './outline.ts';
import { defaultAttachmentLabel } from './outline.ts';

interface LinkedAttachment {
  number: number;
  /** The link's label ("Bilag 3.2"), null when it names no number. */
  label: string | null;
  title: string;
  /** The link's address, absolute. */
  href: string;
}

export interface LinkedItem {
  number: number;
  label: string;
  title: string;
  attachments: LinkedAttachment[];
}

export interface PdfPages {
  /** The PDF's address as normaliseUrl writes it (no fragment). */
  url: string;
  pages: readonly PageText[];
  /** Normalises a link's address the same way (identity/normalise-url.ts). */
  normalise(href: string): string | null;
}

/** The confidence of a placed page structure: every entry was found where the page says it is, sure enough. */
export const PLACED_CONFIDENCE = 0.85;

/** How many lines at the top of a page may hold its heading (running headers and furniture come first). */
const HEAD_LINES = 6;
/** A heading wraps over at most this many lines. */
const WRAP_LINES = 3;

const normal = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

interface Match {
  page: number;
  /** The line's label has the entry's number ("Sag 3" for item 3, "Bilag 3.2" for attachment 2). */
  numbered: boolean;
}

type Role = 'item' | 'attachment';

/** The number a labelled line gives an entry of this role, or null. */
function labelNumber(line: string, role: Role): { number: number | null; rest: string } {
  const labelled = readLabel(line);
  if (!labelled || labelled.title === '') return { number: null, rest: line };
  const number = role === 'item' ? labelled.first.number : (labelled.second?.number ?? labelled.first.minor ?? labelled.first.number);
  return { number, rest: labelled.title };
}

/** Whether the page's head holds `title` at the start of a line (after a label), ending at a line's end. */
function matchOnPage(page: PageText, title: string, number: number, role: Role): Match | null {
  const wanted = normal(title);
  if (wanted === '') return null;
  const lines = page.lines.slice(0, HEAD_LINES).map((line) => lineText(page, line));
  let found: Match | null = null;
  for (let k = 0; k < lines.length; k++) {
    const { number: labelled, rest } = labelNumber(lines[k] as string, role);
    for (const start of labelled === null ? [lines[k] as string] : [rest, lines[k] as string]) {
      let joined = '';
      for (let w = 0; w < WRAP_LINES && k + w < lines.length; w++) {
        joined = normal(`${joined} ${w === 0 ? start : lines[k + w]}`);
        if (joined === wanted) {
          const numbered = labelled === number && start === rest;
          if (!found || (numbered && !found.numbered)) found = { page: page.page, numbered };
        }
        if (joined.length >= wanted.length) break;
      }
    }
  }
  return found;
}

/** The pages whose heads name an entry: where its numbered label stands, else where its title does. */
function preferred(matches: readonly Match[]): number[] {
  const numbered = matches.filter((m) => m.numbered);
  return [...new Set((numbered.length > 0 ? numbered : matches).map((m) => m.page))].sort((a, b) => a - b);
}

/** The first pages of the runs of consecutive pages: an attachment's running header is one run. */
function runStarts(pages: readonly number[]): number[] {
  return pages.filter((p, i) => i === 0 || pages[i - 1] !== p - 1);
}

/**
 * One page per entry, rising: the earliest and the latest such choice must agree, or two
 * placements are possible and the order cannot tell which is meant.
 */
function uniqueRising(options: readonly number[][]): number[] | null {
  const earliest: number[] = [];
  for (const pages of options) {
    const next = pages.find((p) => p > (earliest.at(-1) ?? 0));
    if (next === undefined) return null;
    earliest.push(next);
  }
  const latest: number[] = new Array(options.length);
  for (let i = options.length - 1; i >= 0; i--) {
    const bound = latest[i + 1] ?? Number.POSITIVE_INFINITY;
    const pages = options[i] as number[];
    const previous = pages.filter((p) => p < bound).at(-1);
    if (previous === undefined) return null;
    latest[i] = previous;
  }
  return earliest.every((p, i) => p === latest[i]) ? earliest : null;
}

/** The page a link names in its fragment (`#page=6`), as pdf.js and browsers read it. */
function linkedPage(href: string): number | null {
  const hash = href.indexOf('#');
  if (hash < 0) return null;
  const match = /(?:^|[&#])page=(\d{1,6})(?:&|$)/.exec(href.slice(hash));
  return match ? Number(match[1]) : null;
}

function placeAttachments(item: LinkedItem, range: { first: number; last: number }, pdf: PdfPages): number[] | null {
  const byPage = new Map(pdf.pages.map((p) => [p.page, p]));
  const inRange = pdf.pages.filter((p) => p.page >= range.first && p.page <= range.last);
  const options: number[][] = [];
  for (const attachment of item.attachments) {
    const page = pdf.normalise(attachment.href) === pdf.url ? linkedPage(attachment.href) : null;
    if (page !== null) {
      // The page's own link: confirmed by the title in that page's head, or not used at all.
      const target = byPage.get(page);
      if (!target || page < range.first || page > range.last) return null;
      if (!matchOnPage(target, attachment.title, attachment.number, 'attachment')) return null;
      options.push([page]);
      continue;
    }
    // Not a page of this PDF by its link: its running header, after the item's own first page.
    const matches = inRange
      .filter((p) => p.page > range.first)
      .flatMap((p) => {
        const m = matchOnPage(p, attachment.title, attachment.number, 'attachment');
        return m ? [m] : [];
      });
    const starts = runStarts(preferred(matches));
    if (starts.length !== 1) return null;
    // A page without text just before its first header may be its first page, scanned: unknown.
    const before = byPage.get((starts[0] as number) - 1);
    if (before && before.page > range.first && before.text.trim() === '') return null;
    options.push(starts);
  }
  return uniqueRising(options);
}

/**
 * The items and attachments of `items` on the PDF's pages, or null when any of them cannot be
 * placed for certain. `items` in the page's order (detect-html-agenda.ts).
 */
export function placeHtmlAgenda(items: readonly LinkedItem[], pdf: PdfPages): AgendaOutline | null {
  if (items.length === 0 || pdf.pages.length === 0) return null;
  const matchesOf = (item: LinkedItem) =>
    pdf.pages.flatMap((p) => {
      const m = matchOnPage(p, item.title, item.number, 'item');
      return m ? [m] : [];
    });
  // Every page an item's heading stands on is a candidate (a heading repeated on the next page is a doubt, not a run).
  const named = items.map((item) => preferred(matchesOf(item)));
  // A page whose head names two items lists them (a contents page, an agenda): no item starts there.
  const count = new Map<number, number>();
  for (const pages of named) for (const page of pages) count.set(page, (count.get(page) ?? 0) + 1);
  const firstPages = uniqueRising(named.map((pages) => pages.filter((page) => (count.get(page) ?? 0) < 2)));
  if (!firstPages) return null;

  const pages = pdf.pages.length;
  const outline: AgendaOutline = { pages, confidence: PLACED_CONFIDENCE, items: [] };
  for (const [i, item] of items.entries()) {
    const firstPage = firstPages[i] as number;
    const lastPage = (firstPages[i + 1] ?? pages + 1) - 1;
    const attachmentPages = placeAttachments(item, { first: firstPage, last: lastPage }, pdf);
    if (!attachmentPages) return null;
    outline.items.push({
      number: item.number,
      label: item.label,
      title: item.title,
      firstPage,
      lastPage,
      attachments: item.attachments.map((a, j) => ({
        number: a.number,
        label: a.label ?? defaultAttachmentLabel(a.number),
        title: a.title,
        firstPage: attachmentPages[j] as number,
        lastPage: (attachmentPages[j + 1] ?? lastPage + 1) - 1,
      })),
    });
  }
  return outline;
}
