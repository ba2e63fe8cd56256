/**
 * The text items of a pdf.js text layer as its DOM holds them, and DOM points inside them.
 *
 * pdf.js's TextLayer appends one span per non-empty text item, either directly in the layer or
 * inside the `span.markedContent` it opens for each marked-content sequence; a `<br>` follows an
 * item that ends a line, and a `div.endOfContent` (which pdf.js moves while the user selects)
 * closes the layer. What pdf.js does later only changes attributes or nests inside an item's
 * span: the accessibility manager takes `role="presentation"` off the span before each
 * annotation (a link, a footnote, a note) and gives it `aria-owns`, and the find highlighter splits
 * a span's text into text nodes and `span.highlight` children. So the item elements are found by
 * that structure, never by an attribute, and a character is counted over all of a span's text.
 */
import { itemText, type PacketText, type PageText } from '@randnoter/shared/text/page-text';

const MARKED_CONTENT = 'markedContent';

/** The item spans of a page's text layer, in item order (empty when the layer is not rendered). */
export function textItemElements(pageElement: Element): HTMLElement[] {
  const layer = pageElement.querySelector(':scope .textLayer');
  const out: HTMLElement[] = [];
  const walk = (parent: Element) => {
    for (const child of parent.children) {
      if (child.tagName !== 'SPAN') continue;
      if (child.classList.contains(MARKED_CONTENT)) walk(child);
      else out.push(child as HTMLElement);
    }
  };
  if (layer) walk(layer);
  return out;
}

export interface PageItems {
  pageNumber: number;
  pageText: PageText;
  /** Offset of the page in the packet text. */
  pageStart: number;
  /** Element i shows text item i of `pageText`. */
  elements: HTMLElement[];
}

function pageNumberOf(pageElement: Element): number {
  return Number((pageElement as HTMLElement).dataset.pageNumber);
}

/**
 * A page's item elements with its text, or null when the layer does not show the page text's
 * items (another pdf.js, a page rendered from other text): then no offset read from it could be
 * trusted. pdf.js stops adding spans after a very large number, so a prefix is fine.
 */
export function pageItems(pageElement: Element, packet: PacketText): PageItems | null {
  const pageNumber = pageNumberOf(pageElement);
  const pageText = packet.pages[pageNumber - 1];
  const pageStart = packet.pageStarts[pageNumber - 1];
  if (!pageText || pageStart === undefined) return null;
  const elements = textItemElements(pageElement);
  if (elements.length > pageText.items.length) return null;
  for (const [i, element] of elements.entries()) if (element.textContent !== itemText(pageText, i)) return null;
  return { pageNumber, pageText, pageStart, elements };
}

/** How many characters of an item element's text lie before a DOM point inside the element. */
export function charIndexIn(element: HTMLElement, node: Node, offset: number): number {
  const before = document.createRange();
  before.selectNodeContents(element);
  before.setEnd(node, offset);
  return before.toString().length;
}

/** The DOM point at a character index of an item element's text (its text may be split in several nodes). */
export function pointIn(element: HTMLElement, index: number): { node: Node; offset: number } {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let left = Math.max(0, index);
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (left <= node.length) return { node, offset: left };
    left -= node.length;
    last = node;
  }
  return last ? { node: last, offset: last.length } : { node: element, offset: 0 };
}
