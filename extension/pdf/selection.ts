/**
 * Maps a DOM selection in pdf.js text layers to offsets in the packet text, and back to DOM
 * ranges for highlighting. Item element i of a page's text layer (`text-layer-items.ts`) shows
 * text item i of `textItemsOf(getTextContent(...))`, which is what makes the two directions agree.
 */
import { itemPositionToOffset, itemText, offsetToItemPosition, type PacketText, type PageText } from '@randnoter/shared/text/page-text';
import { charIndexIn, type PageItems, pageItems, pointIn, textItemElements } from './text-layer-items.ts';

/**
 * Packet offsets covered by a selection in the text layers; null if it touches no text, or
 * touches a text layer whose items are not the page text's (better no note than a wrong quote).
 */
export function rangeToOffsets(range: Range, pages: Iterable<Element>, packet: PacketText): { start: number; end: number } | null {
  let start: number | null = null;
  let end: number | null = null;
  for (const pageElement of pages) {
    if (!range.intersectsNode(pageElement)) continue;
    const page = pageItems(pageElement, packet);
    if (!page) {
      if (textItemElements(pageElement).length > 0) return null;
      continue;
    }
    for (const [i, element] of page.elements.entries()) {
      if (!range.intersectsNode(element)) continue;
      const length = element.textContent?.length ?? 0;
      const from = element.contains(range.startContainer) ? charIndexIn(element, range.startContainer, range.startOffset) : 0;
      const to = element.contains(range.endContainer) ? charIndexIn(element, range.endContainer, range.endOffset) : length;
      start ??= page.pageStart + itemPositionToOffset(page.pageText, i, from);
      end = page.pageStart + itemPositionToOffset(page.pageText, i, to);
    }
  }
  return start !== null && end !== null && end > start ? { start, end } : null;
}

type ItemPosition = ReturnType<typeof offsetToItemPosition>;

const BLANK = /^[\s\u00AD\u200B-\u200D\u2060\uFEFF]*$/;

/**
 * The text-layer position a range up to a page-local offset ends at. An offset at the very start
 * of an item ends after the last visible character before it instead: a range reaching into the
 * next span (often a span holding only the space after the word) draws a box over that span.
 */
function endPosition(pageText: PageText, from: ItemPosition, end: number): ItemPosition {
  const next = offsetToItemPosition(pageText, end);
  if (next.rawIndex > 0 || next.itemIndex <= from.itemIndex) return next;
  let i = next.itemIndex - 1;
  while (i > from.itemIndex && BLANK.test(itemText(pageText, i) ?? '')) i--;
  const rawIndex = (itemText(pageText, i) ?? '').trimEnd().length;
  return { itemIndex: i, rawIndex: i === from.itemIndex ? Math.max(rawIndex, from.rawIndex) : rawIndex };
}

/** The DOM range of packet offsets [start, end) on one rendered page; null if they miss the page. */
export function offsetsToRange(start: number, end: number, page: PageItems): Range | null {
  const pageEnd = page.pageStart + page.pageText.text.length;
  if (end <= page.pageStart || start >= pageEnd || page.elements.length === 0) return null;
  const from = offsetToItemPosition(page.pageText, Math.max(start, page.pageStart) - page.pageStart);
  const to = endPosition(page.pageText, from, Math.min(end, pageEnd) - page.pageStart);
  const startElement = page.elements[from.itemIndex];
  const endElement = page.elements[to.itemIndex];
  if (!startElement || !endElement) return null;
  const rangeStart = pointIn(startElement, from.rawIndex);
  const rangeEnd = pointIn(endElement, to.rawIndex);
  const range = document.createRange();
  range.setStart(rangeStart.node, rangeStart.offset);
  range.setEnd(rangeEnd.node, rangeEnd.offset);
  return range;
}
