/**
 * Reduces an HTML agenda page to what agenda detection reads (shared/agenda/detect-html-agenda):
 * its headings and links, in document order. The block index of an item lets the caller find
 * the heading element again (the same index into `agendaElements`).
 */
import type { AgendaBlock } from '@randnoter/shared/agenda/detect-html-agenda';

/** The elements behind the blocks, in the same order. */
export function agendaElements(root: ParentNode): Element[] {
  return [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, a[href]')];
}

export function agendaBlocks(elements: readonly Element[]): AgendaBlock[] {
  return elements.map((element) => {
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (element instanceof HTMLAnchorElement) return { kind: 'link', text, href: element.getAttribute('href') ?? '' };
    return { kind: 'heading', level: Number(element.tagName.slice(1)), text };
  });
}
