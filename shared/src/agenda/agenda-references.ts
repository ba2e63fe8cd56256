/**
 * What the packet says about itself: its PDF outline (bookmarks) and its contents page. Both
 * name the real agenda items and attachments with their pages, so they tell headings in running
 * text (decoys) from real ones and give titles unbroken by line wrapping.
 */
import { DEFAULT_VOCABULARY, type Heading, headingOf, parseHeading, type Vocabulary } from './agenda-grammar.ts';
import { type Doubt, DoubtKind, doubt } from './doubts.ts';
import type { PageNumbering } from './page-numbers.ts';
import { type Line, type PageReading, type RawContentsEntry, rawContentsOf, repeatsTitle } from './read-page.ts';

/** A PDF outline entry as read-packet.ts and the viewer produce it. */
export interface PdfOutlineEntry {
  title: string;
  /** 1-based page the bookmark points to, when it resolves. */
  page: number | null;
  children: readonly PdfOutlineEntry[];
}

const ReferenceSource = { outline: 'outline', contents: 'contents' } as const;
type ReferenceSource = (typeof ReferenceSource)[keyof typeof ReferenceSource];

export interface Reference {
  source: ReferenceSource;
  item: number;
  /** null for the item itself. */
  attachment: number | null;
  title: string;
  /** The entry's own label: the item's ("Sag 3") or the attachment's ("Bilag 3.2"). */
  label: string;
  /** The item's label when an attachment entry writes it ("Punkt 3" in "Punkt 3, Bilag 2"). */
  itemLabel: string | null;
  /** Physical 1-based page, or null when the source gives none that resolves. */
  page: number | null;
}

type Named = Omit<Reference, 'source' | 'page'>;

/** The heading an entry names, its item number taken from the parent entry when it names none. */
function referenceOf(heading: Heading, parentItem: number | null): Named | null {
  if (heading.kind === 'item')
    return { item: heading.number, attachment: null, title: heading.title, label: heading.label, itemLabel: null };
  const item = heading.item ?? parentItem;
  return item === null
    ? null
    : { item, attachment: heading.number, title: heading.title, label: heading.label, itemLabel: heading.itemLabel };
}

const validPage = (page: number | null, pageCount: number) => (page !== null && page >= 1 && page <= pageCount ? page : null);

/** Bookmarks whose titles follow the grammar; nesting gives a bare "Bilag 2: …" its item. */
export function outlineReferences(outline: readonly PdfOutlineEntry[], pageCount: number, vocabulary: Vocabulary): Reference[] {
  const refs: Reference[] = [];
  const walk = (entries: readonly PdfOutlineEntry[], parentItem: number | null, depth: number) => {
    for (const entry of entries) {
      const heading = parseHeading(entry.title, vocabulary);
      // A bare number is an item only at the top of the outline; deeper it numbers sections.
      const usable = heading && !(heading.kind === 'item' && heading.strength === 'numbered' && depth > 0);
      const ref = usable ? referenceOf(heading, parentItem) : null;
      if (ref) refs.push({ ...ref, source: 'outline', page: validPage(entry.page, pageCount) });
      walk(entry.children, ref && ref.attachment === null ? ref.item : parentItem, depth + 1);
    }
  };
  walk(outline, null, 0);
  return refs;
}

export interface ContentsPage {
  page: number;
  entries: RawContentsEntry[];
}

/** Contents pages never come after an agenda item has begun. */
function startsItem(lines: readonly Line[]): boolean {
  return lines.slice(0, 3).some((line) => {
    const heading = parseHeading(line.text, DEFAULT_VOCABULARY);
    return heading !== null && heading.kind === 'item' && heading.strength === 'keyword';
  });
}

/**
 * The packet's contents pages, whatever their title ("Indhold", "Dagsorden", "Agenda", …): the
 * first pages that list at least two labelled entries whose page numbers never go back, point
 * forward and stay within the packet, and the pages right after them that do the same. A listing
 * after the first agenda item has begun, or on an attachment's page, belongs to a document in the
 * packet (its own contents, an earlier agenda), not to the packet.
 */
export function findContentsPages(pageLines: readonly (readonly Line[])[], numbering: PageNumbering): ContentsPage[] {
  const pageCount = pageLines.length;
  const shift = numbering.offset ?? 0;
  const found: ContentsPage[] = [];
  let carried: string | null = null;
  for (const [i, lines] of pageLines.entries()) {
    const page = i + 1;
    // An attachment's page may list things of its own; a contents page continued may begin with an
    // attachment's entry, or with the rest of an entry begun at the foot of the page before.
    const first = lines[0] ? parseHeading(lines[0].text, DEFAULT_VOCABULARY) : null;
    const continues = found.length > 0 && (found.at(-1) as ContentsPage).page === page - 1;
    const read: ReturnType<typeof rawContentsOf> | null =
      first?.kind === 'attachment' && !continues ? null : rawContentsOf(lines, pageCount, continues ? carried : null);
    const entries = read?.entries ?? [];
    carried = read?.pending ?? null;
    const physical = entries.map((e) => e.page - shift);
    const listing =
      entries.length >= 2 &&
      physical.every((p, j) => p >= 1 && p <= pageCount && (j === 0 || p >= (physical[j - 1] as number))) &&
      (physical[0] as number) >= page - 2;
    if (listing && (found.length === 0 || continues)) found.push({ page, entries });
    else if (found.length > 0) break;
    else if (startsItem(lines)) break;
  }
  return found;
}

export interface ContentsReferences {
  refs: Reference[];
  doubts: Doubt[];
}

/** Offsets further than this between printed and physical pages are not believed. */
const MAX_OFFSET = 10;

/**
 * Entries of the contents pages, mapped onto PDF pages. Printed page numbers may differ from PDF
 * pages (an unnumbered cover); the footers say by how much, and so do the pages that repeat an
 * entry's heading or title. When neither confirms the numbers, or they disagree, that is a doubt.
 */
export function contentsReferences(
  contents: readonly ContentsPage[],
  readings: readonly PageReading[],
  numbering: PageNumbering,
  vocabulary: Vocabulary,
): ContentsReferences {
  const pageCount = readings.length;
  const raw: Array<Named & { printed: number }> = [];
  let item: number | null = null;
  for (const { entries } of contents) {
    for (const entry of entries) {
      const heading = headingOf(entry.labelled, vocabulary);
      if (!heading || heading.title === '') continue;
      const ref = referenceOf(heading, item);
      if (!ref) continue;
      if (ref.attachment === null) item = ref.item;
      raw.push({ ...ref, printed: entry.page });
    }
  }
  if (raw.length === 0) return { refs: [], doubts: [] };
  const { delta, doubts } = pageDelta(raw, readings, numbering);
  return {
    refs: raw.map(({ printed, ...ref }) => ({ ...ref, source: 'contents', page: validPage(printed + delta, pageCount) })),
    doubts,
  };
}

/**
 * For each entry, the offsets ("physical minus printed") at which a page repeats its heading or
 * its title; an attachment's running header repeats on all its pages, so an entry may support
 * several offsets.
 */
function supportOf(entries: ReadonlyArray<Named & { printed: number }>, readings: readonly PageReading[]): Set<number>[] {
  return entries.map((entry) => {
    const support = new Set<number>();
    for (let delta = -MAX_OFFSET; delta <= MAX_OFFSET; delta++) {
      const reading = readings[entry.printed + delta - 1];
      if (!reading || reading.listing) continue;
      const mark = reading.mark;
      const sameMark =
        mark !== null &&
        (mark.kind === 'item'
          ? entry.attachment === null && entry.item === mark.number
          : entry.attachment === mark.number && (mark.item === null || mark.item === entry.item));
      if (sameMark || repeatsTitle(reading, entry.title)) support.add(delta);
    }
    return support;
  });
}

function pageDelta(
  entries: ReadonlyArray<Named & { printed: number }>,
  readings: readonly PageReading[],
  numbering: PageNumbering,
): { delta: number; doubts: Doubt[] } {
  const support = supportOf(entries, readings);
  const votes = new Map<number, number>();
  for (const deltas of support) for (const d of deltas) votes.set(d, (votes.get(d) ?? 0) + 1);
  let best: number | null = null;
  let most = 0;
  for (const [delta, count] of votes) {
    if (count > most || (count === most && best !== null && Math.abs(delta) < Math.abs(best))) [best, most] = [delta, count];
  }
  const footer = numbering.offset === null ? null : -numbering.offset;
  if (footer !== null) {
    const forFooter = votes.get(footer) ?? 0;
    if (best !== null && best !== footer && most >= 2 && most > forFooter) {
      return {
        delta: best,
        doubts: [doubt(DoubtKind.footersDisagree, 'the page numbers in the footers and the pages the contents points to disagree')],
      };
    }
    return { delta: footer, doubts: [] };
  }
  if (best === null) {
    return { delta: 0, doubts: [doubt(DoubtKind.numbersUnconfirmed, 'nothing on the pages confirms the page numbers of the contents')] };
  }
  const against = support.filter((deltas) => deltas.size > 0 && !deltas.has(best)).length;
  const doubts: Doubt[] = [];
  if (against >= 2 && against * 3 > most)
    doubts.push(doubt(DoubtKind.numbersDisagree, 'the pages disagree about the page numbers of the contents'));
  return { delta: best, doubts };
}
