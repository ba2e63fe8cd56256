/**
 * "Områdenote" on a portal's pdf.js viewer: while the tool is on, a layer of the overlay over the
 * viewer's pages takes the user's drag (trusted events only) and draws the rectangle in the
 * overlay, never in the portal's own DOM. The rectangle is reported in fractions of its page as
 * Randnoter's viewer shows it: what the user drew on a page the portal's viewer shows turned is
 * turned back (page-rotation.ts), so the note falls on the same place in either viewer.
 */
import type { Region } from '@randnoter/shared/model/annotation';
import { fromUser } from '../html/user-events.ts';
import type { QuarterTurn } from '../messaging/probe-messages.ts';
import { pageBox } from '../pdf/page-box.ts';
import { turnRegion, viewerTurn } from './page-rotation.ts';
import { scrollingBox, scrollingElement, viewerPages } from './viewer-marks.ts';
import type { ViewerOverlay } from './viewer-overlay.ts';

/** Listeners tied to the content script's life (WXT's `ctx`). */
export interface Lifetime {
  addEventListener(target: EventTarget, type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void;
}

export interface RegionTool {
  setActive(active: boolean): void;
  readonly active: boolean;
  /** The viewer's scrolling box moved or changed size: the drawing layer follows it. */
  follow(clip: DOMRect): void;
}

export interface RegionToolDeps {
  overlay: ViewerOverlay;
  lifetime: Lifetime;
  /** Each page's own rotation (/Rotate), to tell the viewer's turn from the page's. */
  rotations: () => readonly QuarterTurn[];
  /** The tool went on or off (after a rectangle is drawn it goes off by itself). */
  onActive(active: boolean): void;
  /** A rectangle was drawn: where it is on its page, and on the screen (for the note buttons). */
  onRegion(region: Region, screen: DOMRect): void;
}

/** Smaller than this (fractions of the page) is a click, not a rectangle. */
const MIN_WIDTH = 0.01;
const MIN_HEIGHT = 0.005;

const inverse = (turn: QuarterTurn): QuarterTurn => ((360 - turn) % 360) as QuarterTurn;

export function createRegionTool(deps: RegionToolDeps): RegionTool {
  const { overlay, lifetime } = deps;
  let active = false;
  let drag: { page: HTMLElement; x: number; y: number } | null = null;

  const setActive = (value: boolean) => {
    if (active === value) return;
    active = value;
    drag = null;
    overlay.band(null);
    overlay.drawing(value ? scrollingBox(viewerPages(document)) : null);
    deps.onActive(value);
  };

  /** The rectangle from the drag's start to this point, kept on the page it started on (viewport coordinates). */
  const rectTo = (event: MouseEvent, page: HTMLElement, x: number, y: number): DOMRect => {
    const box = pageBox(page);
    const clampX = (v: number) => Math.min(box.left + box.width, Math.max(box.left, v));
    const clampY = (v: number) => Math.min(box.top + box.height, Math.max(box.top, v));
    const left = clampX(Math.min(x, event.clientX));
    const top = clampY(Math.min(y, event.clientY));
    return new DOMRect(left, top, clampX(Math.max(x, event.clientX)) - left, clampY(Math.max(y, event.clientY)) - top);
  };

  lifetime.addEventListener(
    overlay.drawLayer,
    'mousedown',
    fromUser((event: MouseEvent) => {
      if (event.button !== 0) return;
      const page = viewerPages(document).find((p) => {
        const r = p.getBoundingClientRect();
        return event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      });
      if (!page) return;
      // No text selection while drawing; but the keys go to this frame, so Alt+N writes the note.
      event.preventDefault();
      window.focus();
      drag = { page, x: event.clientX, y: event.clientY };
    }),
  );
  lifetime.addEventListener(
    window,
    'mousemove',
    fromUser((event: MouseEvent) => {
      if (drag) overlay.band(rectTo(event, drag.page, drag.x, drag.y));
    }),
  );
  lifetime.addEventListener(
    window,
    'mouseup',
    fromUser((event: MouseEvent) => {
      if (!drag) return;
      const { page, x, y } = drag;
      drag = null;
      overlay.band(null);
      const screen = rectTo(event, page, x, y);
      const box = pageBox(page);
      const drawn = {
        x: (screen.left - box.left) / box.width,
        y: (screen.top - box.top) / box.height,
        w: screen.width / box.width,
        h: screen.height / box.height,
      };
      if (drawn.w < MIN_WIDTH || drawn.h < MIN_HEIGHT) return;
      const upright = turnRegion(drawn, inverse(viewerTurn(page, viewerPages(document), deps.rotations())));
      setActive(false);
      deps.onRegion({ page: Number(page.dataset.pageNumber), ...upright }, screen);
    }),
  );
  // The pages still scroll under the drawing layer.
  lifetime.addEventListener(
    overlay.drawLayer,
    'wheel',
    fromUser((event: WheelEvent) => {
      scrollingElement(viewerPages(document))?.scrollBy(event.deltaX, event.deltaY);
    }),
    { passive: true },
  );
  lifetime.addEventListener(
    document,
    'keydown',
    fromUser((event: KeyboardEvent) => {
      if (event.key === 'Escape' && active) setActive(false);
    }),
  );

  return {
    setActive,
    get active() {
      return active;
    },
    follow(clip) {
      if (active) overlay.drawing(clip);
    },
  };
}
