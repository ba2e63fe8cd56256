/**
 * Page furniture: the lines a meeting system prints on many pages (the municipality and meeting
 * in the page header, "p / total" in the footer). They stand above headings, so the detector
 * looks past them to find what a page starts with.
 */
import { lineText, type PageText } from '../text/page-text.ts';
import { readLabel } from './agenda-grammar.ts';

/** How many lines at each end of a page are searched for furniture. */
const EDGE_LINES = 3;
/** A line is furniture when it stands at the edge of at least this many pages. */
const MIN_PAGES = 3;

/** Digits vary in furniture ("7 / 46", dates), so they are compared as one symbol. */
export function furnitureKey(line: string): string {
  return line.replace(/\d+/g, '#').trim();
}

/**
 * Keys of lines repeated at the top or bottom of several pages. A line shaped like a heading
 * ("Sag 3 · …", "Bilag 3.2 – …", whatever its keyword) is never furniture: running headers repeat
 * on purpose, and which keywords the packet uses is learned only later.
 */
/** A label with a title: "Side 4" is a page number, "Sag 4 · Budget" a heading. */
function headingShaped(line: string): boolean {
  const labelled = readLabel(line);
  return labelled !== null && (labelled.title !== '' || labelled.second !== null);
}

export function findFurniture(pages: readonly PageText[]): Set<string> {
  const seenOn = new Map<string, number>();
  for (const page of pages) {
    const edge = new Set<string>();
    const { lines } = page;
    for (const line of [...lines.slice(0, EDGE_LINES), ...lines.slice(Math.max(EDGE_LINES, lines.length - EDGE_LINES))]) {
      edge.add(furnitureKey(lineText(page, line)));
    }
    for (const key of edge) seenOn.set(key, (seenOn.get(key) ?? 0) + 1);
  }
  const furniture = new Set<string>();
  for (const [key, count] of seenOn) {
    // Running headers repeat too, but they carry the structure we are looking for.
    if (count >= MIN_PAGES && key !== '' && !headingShaped(key.replace(/#/g, '1'))) furniture.add(key);
  }
  return furniture;
}
