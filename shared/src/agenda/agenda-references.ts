/**
 * What the packet says about itself: its PDF outline (bookmarks) and its contents page. Both
 * name the real agenda items and attachments with their pages, so they tell headings in running
 * text (decoys) from real ones and give titles unbroken by line wrapping.
 */
import { type Heading, parseHeading } from './agenda-grammar.ts';
import type { PageReading } from './read-page.ts';

/** A PDF outline entry as read-packet.ts and the viewer produce it. */
export interface PdfOutlineEntry {
  title: string;
  /** 1-based page the bookmark points to, when it resolves. */
  page: number | null;
  children: readonly PdfOutlineEntry[];
}

export const ReferenceSource = { outline: 'outline', contents: 'contents' } as const;
export type ReferenceSource = (typeof ReferenceSource)[keyof typeof ReferenceSource];

export interface Reference {
  source: ReferenceSource;
  item: number;
  /** null for the item itself. */
  attachment: number | null;
  title: string;
  /** Physical 1-based page, or null when the source gives none that resolves. */
  page: number | null;
}

/** The heading an entry names, its item number taken from the parent entry when it names none. */
function referenceOf(heading: Heading, parentItem: number | null): Omit<Reference, 'source' | 'page'> | null {
  if (heading.kind === 'item') return { item: heading.number, attachment: null, title: heading.title };
  const item = heading.item ?? parentItem;
  return item === null ? null : { item, attachment: heading.number, title: heading.title };
}

const validPage = (page: number | null, pageCount: number) => (page !== null && page >= 1 && page <= pageCount ? page : null);

/** Bookmarks whose titles follow the grammar; nesting gives a bare "Bilag 2: …" its item. */
export function outlineReferences(outline: readonly PdfOutlineEntry[], pageCount: number): Reference[] {
  const refs: Reference[] = [];
  const walk = (entries: readonly PdfOutlineEntry[], parentItem: number | null, depth: number) => {
    for (const entry of entries) {
      const heading = parseHeading(entry.title);
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

/**
 * Entries of the contents pages. Printed page numbers may differ from PDF pages (an unnumbered
 * cover); the offset is the one most entries agree on with the pages' own headings.
 */
export function contentsReferences(readings: readonly PageReading[], pageCount: number): Reference[] {
  const raw: Array<Omit<Reference, 'source' | 'page'> & { printed: number }> = [];
  for (const reading of readings) {
    if (!isContentsPage(reading, pageCount)) continue;
    let item: number | null = null;
    for (const entry of reading.contents) {
      const ref = referenceOf(entry.heading, item);
      if (!ref) continue;
      if (ref.attachment === null) item = ref.item;
      raw.push({ ...ref, printed: entry.page });
    }
  }
  const offset = pageOffset(raw, readings);
  return raw.map(({ printed, ...ref }) => ({ ...ref, source: 'contents', page: validPage(printed + offset, pageCount) }));
}

/**
 * A contents page lists at least two entries whose page numbers never go back and stay within
 * the packet. An attachment's pages are never the packet's contents, even when the attachment
 * has a contents or an agenda of its own.
 */
function isContentsPage(reading: PageReading, pageCount: number): boolean {
  if (reading.mark?.kind === 'attachment') return false;
  const pages = reading.contents.map((e) => e.page);
  return pages.length >= 2 && pages.every((p, i) => p <= pageCount && (i === 0 || p >= (pages[i - 1] as number)));
}

function pageOffset(
  entries: ReadonlyArray<Omit<Reference, 'source' | 'page'> & { printed: number }>,
  readings: readonly PageReading[],
): number {
  const votes = new Map<number, number>();
  for (const reading of readings) {
    const mark = reading.mark;
    if (!mark) continue;
    for (const entry of entries) {
      const same =
        mark.kind === 'item'
          ? entry.attachment === null && entry.item === mark.number
          : entry.attachment === mark.number && (mark.item === null || mark.item === entry.item);
      if (same) votes.set(reading.page - entry.printed, (votes.get(reading.page - entry.printed) ?? 0) + 1);
    }
  }
  let offset = 0;
  let most = 0;
  for (const [delta, count] of votes) {
    if (count > most || (count === most && Math.abs(delta) < Math.abs(offset))) [offset, most] = [delta, count];
  }
  return offset;
}
