/**
 * Draws highlights for anchored annotations on a page: one absolutely positioned box per line
 * fragment, in percent of the page so they follow zoom. The layer sits under the text layer,
 * so selecting text over a highlight still works.
 */
import type { PacketText } from '@randnoter/shared/anchoring/page-text';
import { offsetsToRanges } from './selection.ts';

export interface Mark {
  id: string;
  start: number;
  end: number;
  /** CSS class suffix: `note` or `comment`. */
  kind: string;
  focused?: boolean;
}

const LAYER_CLASS = 'rn-highlights';

function layerOf(pageElement: HTMLElement): HTMLElement {
  let layer = pageElement.querySelector<HTMLElement>(`:scope > .${LAYER_CLASS}`);
  if (!layer) {
    layer = document.createElement('div');
    layer.className = LAYER_CLASS;
    const textLayer = pageElement.querySelector(':scope > .textLayer');
    pageElement.insertBefore(layer, textLayer);
  }
  return layer;
}

/** Replaces the highlights on one page. */
export function drawPageHighlights(pageElement: HTMLElement, pageNumber: number, marks: readonly Mark[], packet: PacketText): void {
  const layer = layerOf(pageElement);
  layer.replaceChildren();
  const pageStart = packet.pageStarts[pageNumber - 1];
  const pageText = packet.pages[pageNumber - 1];
  if (pageStart === undefined || !pageText) return;
  const box = pageElement.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return;
  for (const mark of marks) {
    if (mark.end <= pageStart || mark.start >= pageStart + pageText.text.length) continue;
    for (const { page, range } of offsetsToRanges(mark.start, mark.end, () => pageElement, packet)) {
      if (page !== pageNumber) continue;
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5 || rect.height < 0.5) continue;
        const el = document.createElement('div');
        el.className = `rn-highlight rn-highlight-${mark.kind}${mark.focused ? ' rn-focused' : ''}`;
        el.dataset.annotationId = mark.id;
        el.style.left = `${((rect.left - box.left) / box.width) * 100}%`;
        el.style.top = `${((rect.top - box.top) / box.height) * 100}%`;
        el.style.width = `${(rect.width / box.width) * 100}%`;
        el.style.height = `${(rect.height / box.height) * 100}%`;
        layer.append(el);
      }
    }
  }
}

/** The annotation whose highlight lies under a point on a page, if any. */
export function highlightAt(pageElement: HTMLElement, clientX: number, clientY: number): string | null {
  for (const el of pageElement.querySelectorAll<HTMLElement>(`.${LAYER_CLASS} .rn-highlight`)) {
    const r = el.getBoundingClientRect();
    if (clientX >= r.left && clientX <= r.right && clientY >= r.top && clientY <= r.bottom) return el.dataset.annotationId ?? null;
  }
  return null;
}
