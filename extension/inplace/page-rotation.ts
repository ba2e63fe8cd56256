/**
 * Region notes on pages the portal's viewer shows turned. A region is kept in fractions of the
 * page as Randnoter's viewer shows it: upright as printed, the page's own rotation (/Rotate)
 * applied. A portal's pdf.js viewer may turn every page further (its `pagesRotation`, clockwise),
 * and the rectangle must turn with the page. pdf.js writes the rotation it shows a page at, the
 * page's own and the viewer's together, on the text and annotation layers it draws
 * (`data-main-rotation`); the viewer's part is that less the page's own.
 */
import { isQuarterTurn, type QuarterTurn } from '../messaging/probe-messages.ts';

/** A rectangle in fractions of a page. */
export interface PageFractions {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The rectangle on the page turned clockwise by `turn`, in fractions of the page as turned. */
export function turnRegion({ x, y, w, h }: PageFractions, turn: QuarterTurn): PageFractions {
  switch (turn) {
    case 0:
      return { x, y, w, h };
    case 90:
      return { x: 1 - y - h, y: x, w: h, h: w };
    case 180:
      return { x: 1 - x - w, y: 1 - y - h, w, h };
    case 270:
      return { x: y, y: 1 - x - w, w: h, h: w };
  }
}

const LAYERS = ':scope > :is(.textLayer, .annotationLayer)[data-main-rotation]';

/** The rotation pdf.js last drew a page at (its own and the viewer's), or null before it drew a layer. */
function drawnRotation(pageElement: Element, shownOnly: boolean): QuarterTurn | null {
  for (const layer of pageElement.querySelectorAll<HTMLElement>(LAYERS)) {
    if (shownOnly && layer.hidden) continue;
    const value = Number(layer.getAttribute('data-main-rotation'));
    if (isQuarterTurn(value)) return value;
  }
  return null;
}

/**
 * How far the viewer turns `page` beyond its own rotation. pdf.js turns all pages alike, so a page
 * not drawn yet goes by another that is; a layer pdf.js has hidden while it draws the page again
 * may still show the rotation before, so shown layers count first. 0 before anything is drawn.
 */
export function viewerTurn(page: HTMLElement, pages: readonly HTMLElement[], own: readonly QuarterTurn[]): QuarterTurn {
  const turnOf = (element: HTMLElement, shownOnly: boolean): QuarterTurn | null => {
    const drawn = drawnRotation(element, shownOnly);
    if (drawn === null) return null;
    const turn = (drawn - (own[Number(element.dataset.pageNumber) - 1] ?? 0) + 360) % 360;
    return isQuarterTurn(turn) ? turn : null;
  };
  for (const shownOnly of [true, false]) {
    const here = turnOf(page, shownOnly);
    if (here !== null) return here;
    for (const other of pages) {
      const there = other === page ? null : turnOf(other, shownOnly);
      if (there !== null) return there;
    }
  }
  return 0;
}
