/**
 * Where the highlights go on a portal's pdf.js pages: each mark's text range found in the page's
 * own text layer (pdf/text-layer-items.ts, so a layer that does not show this text gets none),
 * region marks placed on their page as the viewer turns it (page-rotation.ts), all in viewport
 * coordinates. Pages the viewer has not drawn yet, or has discarded, have no text layer: their
 * text marks wait until it appears (the overlay redraws on the viewer's text-layer events).
 */
import type { PacketText } from '@randnoter/shared/text/page-text';
import type { InPlaceMark } from '../messaging/inplace-messages.ts';
import type { QuarterTurn } from '../messaging/probe-messages.ts';
import { pageBox } from '../pdf/page-box.ts';
import { offsetsToRange } from '../pdf/selection.ts';
import { pageItems } from '../pdf/text-layer-items.ts';
import { turnRegion, viewerTurn } from './page-rotation.ts';
import type { MarkBox } from './viewer-overlay.ts';

/** The viewer's page elements (pdf.js puts `data-page-number` on each page's div). */
export function viewerPages(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('.pdfViewer .page[data-page-number]')];
}

/** The element the pages scroll in: their nearest scrolling ancestor; null for the window. */
export function scrollingElement(pages: readonly HTMLElement[]): HTMLElement | null {
  for (let el = pages[0]?.parentElement ?? null; el && el !== document.documentElement; el = el.parentElement) {
    const { overflowY } = getComputedStyle(el);
    if (overflowY === 'auto' || overflowY === 'scroll') return el;
  }
  return null;
}

/** The box the pages scroll in: the nearest scrolling ancestor of the pages, else the window. */
export function scrollingBox(pages: readonly HTMLElement[]): DOMRect {
  const viewport = new DOMRect(0, 0, window.innerWidth, window.innerHeight);
  const el = scrollingElement(pages);
  if (el) {
    const r = el.getBoundingClientRect();
    const left = Math.max(r.left, 0);
    const top = Math.max(r.top, 0);
    return new DOMRect(
      left,
      top,
      Math.max(0, Math.min(r.right, viewport.right) - left),
      Math.max(0, Math.min(r.bottom, viewport.bottom) - top),
    );
  }
  return viewport;
}

export function markBoxes(
  pages: readonly HTMLElement[],
  marks: readonly InPlaceMark[],
  text: PacketText,
  clip: DOMRect,
  rotations: readonly QuarterTurn[],
): MarkBox[] {
  const boxes: MarkBox[] = [];
  const visible = (r: { left: number; top: number; width: number; height: number }) =>
    r.left < clip.right && r.left + r.width > clip.left && r.top < clip.bottom && r.top + r.height > clip.top;
  for (const pageElement of pages) {
    const r = pageElement.getBoundingClientRect();
    if (!visible({ left: r.left, top: r.top, width: r.width, height: r.height })) continue;
    const pageNumber = Number(pageElement.dataset.pageNumber);
    const page = pageBox(pageElement);
    const items = pageItems(pageElement, text);
    let turn: QuarterTurn | null = null;
    for (const mark of marks) {
      const base = { id: mark.id, kind: mark.kind, focused: mark.focused === true };
      if (mark.region) {
        if (mark.region.page !== pageNumber) continue;
        turn ??= viewerTurn(pageElement, pages, rotations);
        const { x, y, w, h } = turnRegion(mark.region, turn);
        boxes.push({
          ...base,
          region: true,
          left: page.left + x * page.width,
          top: page.top + y * page.height,
          width: w * page.width,
          height: h * page.height,
        });
        continue;
      }
      const range = items && offsetsToRange(mark.start, mark.end, items);
      if (!range) continue;
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5 || rect.height < 0.5) continue;
        boxes.push({ ...base, region: false, left: rect.left, top: rect.top, width: rect.width, height: rect.height });
      }
    }
  }
  return boxes;
}
