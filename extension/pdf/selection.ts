/**
 * Maps a DOM selection in pdf.js text layers to offsets in the packet text, and back to DOM
 * ranges for highlighting. The i-th text span of a page's text layer is text item i of
 * `textItemsOf(getTextContent(...))`, which is what makes the two directions agree.
 */
import { itemPositionToOffset, offsetToItemPosition, type PacketText } from '@randnoter/shared/anchoring/page-text';

export function textSpans(pageElement: Element): HTMLElement[] {
  return [...pageElement.querySelectorAll<HTMLElement>('.textLayer span[role="presentation"]')];
}

export function pageNumberOf(pageElement: Element): number {
  return Number((pageElement as HTMLElement).dataset.pageNumber);
}

function offsetInSpan(span: HTMLElement, container: Node, offset: number, atEnd: boolean): number {
  const text = span.firstChild;
  if (text && container === text) return offset;
  if (container === span) return offset === 0 ? 0 : (span.textContent?.length ?? 0);
  return atEnd ? (span.textContent?.length ?? 0) : 0;
}

/** Packet offsets covered by a selection in the text layers; null if it touches no text. */
export function rangeToOffsets(range: Range, pages: Iterable<Element>, packet: PacketText): { start: number; end: number } | null {
  let start: number | null = null;
  let end: number | null = null;
  for (const pageElement of pages) {
    if (!range.intersectsNode(pageElement)) continue;
    const pageNumber = pageNumberOf(pageElement);
    const pageText = packet.pages[pageNumber - 1];
    const pageStart = packet.pageStarts[pageNumber - 1];
    if (!pageText || pageStart === undefined) continue;
    const spans = textSpans(pageElement);
    for (const [i, span] of spans.entries()) {
      if (!range.intersectsNode(span)) continue;
      const from = span.contains(range.startContainer) ? offsetInSpan(span, range.startContainer, range.startOffset, false) : 0;
      const to = span.contains(range.endContainer)
        ? offsetInSpan(span, range.endContainer, range.endOffset, true)
        : (span.textContent?.length ?? 0);
      start ??= pageStart + itemPositionToOffset(pageText, i, from);
      end = pageStart + itemPositionToOffset(pageText, i, to);
    }
  }
  return start !== null && end !== null && end > start ? { start, end } : null;
}

/** DOM ranges (one per page) for packet offsets [start, end) on the pages that are rendered. */
export function offsetsToRanges(
  start: number,
  end: number,
  pageElementOf: (page: number) => Element | null,
  packet: PacketText,
): Array<{ page: number; range: Range }> {
  const out: Array<{ page: number; range: Range }> = [];
  for (const [index, pageText] of packet.pages.entries()) {
    const pageStart = packet.pageStarts[index] as number;
    const pageEnd = pageStart + pageText.text.length;
    if (end <= pageStart || start >= pageEnd) continue;
    const pageElement = pageElementOf(index + 1);
    if (!pageElement) continue;
    const spans = textSpans(pageElement);
    if (spans.length === 0) continue;
    const from = offsetToItemPosition(pageText, Math.max(start, pageStart) - pageStart);
    const to = offsetToItemPosition(pageText, Math.min(end, pageEnd) - pageStart);
    const startSpan = spans[from.itemIndex];
    const endSpan = spans[to.itemIndex];
    if (!startSpan?.firstChild || !endSpan?.firstChild) continue;
    const range = document.createRange();
    range.setStart(startSpan.firstChild, Math.min(from.rawIndex, startSpan.firstChild.textContent?.length ?? 0));
    range.setEnd(endSpan.firstChild, Math.min(to.rawIndex, endSpan.firstChild.textContent?.length ?? 0));
    out.push({ page: index + 1, range });
  }
  return out;
}
