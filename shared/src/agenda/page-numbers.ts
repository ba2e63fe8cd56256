/**
 * The packet's own page numbers, read from its page furniture whatever their form ("7 / 46",
 * "Side 4 af 30", "Page 4 of 30", "- 4 -"). A contents page prints these numbers, which differ
 * from PDF pages when a cover page is not counted; the footers say by how much.
 */
import { lineText, type PageText } from '../text/page-text.ts';
import { furnitureKey } from './page-furniture.ts';

/** Lines at each end of a page where page numbers stand. */
const EDGE_LINES = 3;
/** At least this many pages must agree, and at least half of the pages with text. */
const MIN_PAGES = 3;

export interface PageNumbering {
  /** Printed number minus PDF page, as the footers show it; null when the footers show none. */
  offset: number | null;
  /** Pages whose furniture carries the number. */
  pages: number;
}

/** Every number in the furniture of each page votes for "printed minus physical"; the offset most pages agree on wins. */
export function readPageNumbering(pages: readonly PageText[], furniture: ReadonlySet<string>): PageNumbering {
  const votes = new Map<number, number>();
  let withText = 0;
  for (const page of pages) {
    if (page.lines.length === 0) continue;
    withText++;
    const edge = [...page.lines.slice(0, EDGE_LINES), ...page.lines.slice(Math.max(EDGE_LINES, page.lines.length - EDGE_LINES))];
    const offsets = new Set<number>();
    for (const line of edge) {
      const text = lineText(page, line);
      if (!furniture.has(furnitureKey(text))) continue;
      for (const m of text.matchAll(/\d{1,4}/g)) offsets.add(Number(m[0]) - page.page);
    }
    for (const offset of offsets) votes.set(offset, (votes.get(offset) ?? 0) + 1);
  }
  let best: number | null = null;
  let most = 0;
  for (const [offset, count] of votes) {
    if (count > most || (count === most && best !== null && Math.abs(offset) < Math.abs(best))) [best, most] = [offset, count];
  }
  return most >= MIN_PAGES && most * 2 >= withText ? { offset: best, pages: most } : { offset: null, pages: 0 };
}
