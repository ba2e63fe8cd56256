/**
 * An HTML page's text in the same model as a PDF page's (shared/anchoring/page-text): the text
 * nodes are the items, and leaving a block element counts as a line end. Built identically in
 * the content script (which maps DOM positions) and in the sidebar (which anchors), from the
 * same list of strings.
 */
import type { TextItemLike } from '@randnoter/shared/text/page-text';

/** Elements whose text is not part of the document (and our own sidebar). */
const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'SELECT',
  'OPTION',
  'IFRAME',
  'SVG',
  'CANVAS',
  'RANDNOTER-SIDEBAR',
]);
const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BODY',
  'BR',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TD',
  'TFOOT',
  'TH',
  'THEAD',
  'TR',
  'UL',
]);

export interface DomText {
  /** Text nodes in document order; index i is item i of the page text. */
  nodes: Text[];
  items: TextItemLike[];
}

function blockOf(node: Node): Element | null {
  for (let el = node.parentElement; el; el = el.parentElement) if (BLOCK.has(el.tagName)) return el;
  return null;
}

function skipped(node: Node): boolean {
  for (let el = node.parentElement; el; el = el.parentElement) {
    if (SKIP.has(el.tagName) || (el as HTMLElement).hidden) return true;
  }
  return false;
}

export function collectDomText(root: Element): DomText {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if ((node as Text).data.length > 0 && !skipped(node)) nodes.push(node as Text);
  }
  const items: TextItemLike[] = nodes.map((node, i) => {
    const next = nodes[i + 1];
    // A line ends where the next text sits in another block (or after a <br>).
    const brAfter = node.nextSibling?.nodeName === 'BR';
    return { str: node.data, hasEOL: brAfter || (next !== undefined && blockOf(next) !== blockOf(node)) };
  });
  return { nodes, items };
}

/** The item and index a DOM boundary point falls on, for a range's start or end. */
export function domPointToItem(
  dom: DomText,
  container: Node,
  offset: number,
  isEnd: boolean,
): { itemIndex: number; rawIndex: number } | null {
  if (container.nodeType === Node.TEXT_NODE) {
    const index = dom.nodes.indexOf(container as Text);
    if (index >= 0) return { itemIndex: index, rawIndex: offset };
  }
  // An element boundary: take the first text at or after it (start), or the last before it (end).
  const boundary = container.ownerDocument?.createRange();
  if (!boundary) return null;
  boundary.setStart(container, offset);
  boundary.collapse(true);
  if (isEnd) {
    for (let i = dom.nodes.length - 1; i >= 0; i--) {
      const node = dom.nodes[i] as Text;
      if (boundary.comparePoint(node, node.data.length) >= 0) return { itemIndex: i, rawIndex: node.data.length };
    }
    return null;
  }
  for (const [i, node] of dom.nodes.entries()) {
    if (boundary.comparePoint(node, 0) <= 0) return { itemIndex: i, rawIndex: 0 };
  }
  return null;
}
