/**
 * Draws highlights for anchored annotations on a page: one absolutely positioned box per line
 * fragment, in percent of the page so they follow zoom. The layer sits under the text layer,
 * so selecting text over a highlight still works.
 */
import type { PacketText } from '@randnoter/shared/text/page-text';
import type { Mark } from '../surface/document-surface.ts';
import { applyColour } from '../utils/note-colours.ts';
import { pageBox } from './page-box.ts';
import { offsetsToRange } from './selection.ts';
import { pageItems } from './text-layer-items.ts';

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

/** One highlight box, positioned in percent of the page. */
function box(mark: Mark, left: number, top: number, width: number, height: number): HTMLElement {
  const el = document.createElement('div');
  el.className = `rn-highlight rn-highlight-${mark.kind}${mark.region ? ' rn-highlight-region' : ''}${mark.focused ? ' rn-focused' : ''}`;
  el.dataset.annotationId = mark.id;
  applyColour(el, mark.color);
  el.style.left = `${left}%`;
  el.style.top = `${top}%`;
  el.style.width = `${width}%`;
  el.style.height = `${height}%`;
  return el;
}

/** Replaces the highlights on one page. */
export function drawPageHighlights(pageElement: HTMLElement, pageNumber: number, marks: readonly Mark[], packet: PacketText): void {
  const layer = layerOf(pageElement);
  layer.replaceChildren();
  const page = pageBox(pageElement);
  if (page.width === 0 || page.height === 0) return;
  // Read the text layer once for all marks; a layer that does not show the page's items gets no text highlights.
  const items = pageItems(pageElement, packet);
  for (const mark of marks) {
    if (mark.region) {
      if (mark.region.page === pageNumber)
        layer.append(box(mark, mark.region.x * 100, mark.region.y * 100, mark.region.w * 100, mark.region.h * 100));
      continue;
    }
    const range = items && offsetsToRange(mark.start, mark.end, items);
    if (!range) continue;
    for (const rect of range.getClientRects()) {
      if (rect.width < 0.5 || rect.height < 0.5) continue;
      layer.append(
        box(
          mark,
          ((rect.left - page.left) / page.width) * 100,
          ((rect.top - page.top) / page.height) * 100,
          (rect.width / page.width) * 100,
          (rect.height / page.height) * 100,
        ),
      );
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
