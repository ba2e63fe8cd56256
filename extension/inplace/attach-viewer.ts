/**
 * Randnoter on a portal's pdf.js viewer, in the viewer's frame (isolated world): highlights over
 * the portal's own pages, the note buttons at the user's selection, and the answers to the
 * sidebar's requests (messaging/inplace-messages.ts). It holds the packet's text (from the probe,
 * checked) to map selections to offsets and back; it never holds note text or tokens.
 *
 * The page may be hostile: every listener acts only on trusted events (html/user-events.ts), and
 * the page is scrolled only when the sidebar asks while handling the user's own action.
 */
import type { Region } from '@randnoter/shared/model/annotation';
import { buildPacketText, buildPageText, type PacketText } from '@randnoter/shared/text/page-text';
import { fromUser } from '../html/user-events.ts';
import type { InPlaceDocument, InPlaceEvent, InPlaceMark, InPlaceReply, InPlaceRequest } from '../messaging/inplace-messages.ts';
import { offsetsToRange, rangeToOffsets } from '../pdf/selection.ts';
import { pageItems } from '../pdf/text-layer-items.ts';
import { shortcutOf } from '../surface/shortcut-keys.ts';
import { createRegionTool, type Lifetime } from './region-tool.ts';
import { markBoxes, scrollingBox, viewerPages } from './viewer-marks.ts';
import { createViewerOverlay } from './viewer-overlay.ts';

/** How long words asked for wait for their page to be drawn; later, a user's own scrolling has taken over. */
const REVEAL_WAIT_MS = 5_000;

export interface AttachedViewer {
  handle<R extends InPlaceRequest>(request: R): InPlaceReply[R['type']];
  /** The viewer changed (a page's text layer appeared, zoom, rotation): draw the highlights again. */
  redraw(): void;
  destroy(): void;
}

/** The page the viewer shows: the first whose bottom is below the top third of its scrolling box. */
function pageAt(pages: readonly HTMLElement[], clip: DOMRect): number {
  const shown = pages.find((p) => p.getBoundingClientRect().bottom > clip.top + clip.height / 3);
  return Number(shown?.dataset.pageNumber ?? 1) || 1;
}

export function packetTextOf(doc: InPlaceDocument): PacketText {
  return buildPacketText(doc.pages.map((items, i) => buildPageText(i + 1, items)));
}

export function attachViewer(
  doc: InPlaceDocument,
  text: PacketText,
  labels: { addNote: string; shareComment: string },
  lifetime: Lifetime,
  send: (event: InPlaceEvent) => void,
): AttachedViewer {
  const overlay = createViewerOverlay(labels);
  let marks: readonly InPlaceMark[] = [];
  let canShare = false;

  /**
   * Words the sidebar asked to show, waiting for their page's text layer (a page the viewer had
   * not drawn yet): shown when it appears, for a few seconds and unless the user scrolls meanwhile.
   */
  let revealing: { page: number; start: number; until: number } | null = null;
  const revealWords = () => {
    if (!revealing) return;
    if (performance.now() > revealing.until) {
      revealing = null;
      return;
    }
    const { page, start } = revealing;
    const pageElement = viewerPages(document).find((p) => Number(p.dataset.pageNumber) === page);
    const items = pageElement && pageItems(pageElement, text);
    const range = items && offsetsToRange(start, start + 1, items);
    const holder = range?.startContainer.parentElement;
    if (!holder) return;
    revealing = null;
    holder.scrollIntoView({ block: 'center', inline: 'nearest' });
  };

  /** The page last reported to the sidebar as shown. */
  let reportedPage = 0;
  let frame = 0;
  const draw = () => {
    frame = 0;
    revealWords();
    const pages = viewerPages(document);
    const clip = scrollingBox(pages);
    overlay.drawMarks(markBoxes(pages, marks, text, clip, doc.rotations), clip);
    regionTool.follow(clip);
    const shown = pageAt(pages, clip);
    if (shown !== reportedPage) {
      reportedPage = shown;
      send({ type: 'rn:pdf-page', page: shown });
    }
  };
  const redraw = () => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };
  // Pages drawn late, discarded, zoomed or rotated change the viewer's DOM: draw again after each
  // change (pdf.js hides a page's text layer while it draws the page again, and marks its rotation on it).
  const observer = new MutationObserver(redraw);
  const observe = () => {
    const root = document.querySelector('.pdfViewer');
    if (root)
      observer.observe(root, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['style', 'data-loaded', 'hidden', 'data-main-rotation'],
      });
  };
  observe();
  lifetime.addEventListener(document, 'scroll', redraw, { capture: true, passive: true });
  // The user scrolls on: words asked for earlier no longer pull the viewer back to them.
  lifetime.addEventListener(
    document,
    'wheel',
    fromUser(() => {
      revealing = null;
    }),
    { passive: true },
  );
  lifetime.addEventListener(window, 'resize', redraw);

  const offsetsOfSelection = (): { start: number; end: number } | null => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    return rangeToOffsets(selection.getRangeAt(0), viewerPages(document), text);
  };
  /** A rectangle just drawn with the region tool, whose note buttons are showing. */
  let pendingRegion: Region | null = null;
  const regionTool = createRegionTool({
    overlay,
    lifetime,
    rotations: () => doc.rotations,
    onActive: (active) => send({ type: 'rn:pdf-region-tool-state', active }),
    onRegion: (region, screen) => {
      document.getSelection()?.removeAllRanges();
      pendingRegion = region;
      overlay.showActions(screen, canShare);
    },
  });
  /** Whether the user's event happened on Randnoter's overlay (its buttons), not on the page. */
  const onOverlay = (event: Event) => (event.target as Element | null)?.localName === 'randnoter-overlay';
  /**
   * The note buttons at the user's selection (a selection a script made gets none). A rectangle's
   * buttons stay while the user reaches for them, and go with a click or key elsewhere.
   */
  const showActionsAtSelection = (event: Event) => {
    if (regionTool.active || (pendingRegion && onOverlay(event))) return;
    pendingRegion = null;
    const selection = document.getSelection();
    const has = !!selection && !selection.isCollapsed && offsetsOfSelection() !== null;
    overlay.showActions(has && selection ? selection.getRangeAt(0).getBoundingClientRect() : null, canShare);
  };
  lifetime.addEventListener(document, 'mouseup', fromUser(showActionsAtSelection));
  lifetime.addEventListener(document, 'keyup', fromUser(showActionsAtSelection));
  // The browser reports selections the page's script makes too: this may only take the buttons away.
  lifetime.addEventListener(document, 'selectionchange', () => {
    if (document.getSelection()?.isCollapsed !== false && !pendingRegion) overlay.showActions(null, canShare);
  });
  lifetime.addEventListener(
    document,
    'click',
    fromUser((event: MouseEvent) => {
      // A click on the overlay itself (its buttons, the drawing layer) is not a click on a highlight.
      if (!document.getSelection()?.isCollapsed || onOverlay(event)) return;
      const id = overlay.markAt(event.clientX, event.clientY);
      if (id) send({ type: 'rn:pdf-mark-clicked', id });
    }),
  );
  lifetime.addEventListener(
    document,
    'keydown',
    fromUser((event: KeyboardEvent) => {
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      event.preventDefault();
      // Alt+N / Alt+C on a rectangle just drawn: its note, as its buttons would.
      if ((shortcut === 'note' || shortcut === 'comment') && pendingRegion) writeRegion(shortcut === 'note' ? 'note' : 'comment');
      else send({ type: 'rn:pdf-shortcut', shortcut });
    }),
  );
  function writeRegion(kind: 'note' | 'comment'): void {
    const region = pendingRegion;
    pendingRegion = null;
    overlay.showActions(null, canShare);
    send(region ? { type: 'rn:pdf-write', kind, region } : { type: 'rn:pdf-write', kind });
  }
  overlay.events.on('action', writeRegion);

  const currentPage = (): number => {
    const pages = viewerPages(document);
    return pageAt(pages, scrollingBox(pages));
  };

  const answer = (request: InPlaceRequest): InPlaceReply[InPlaceRequest['type']] => {
    switch (request.type) {
      case 'rn:pdf-document':
        return doc;
      case 'rn:pdf-selection':
        return offsetsOfSelection();
      case 'rn:pdf-clear-selection':
        document.getSelection()?.removeAllRanges();
        overlay.showActions(null, canShare);
        return true;
      case 'rn:pdf-marks':
        marks = request.marks;
        redraw();
        return true;
      case 'rn:pdf-reveal':
        viewerPages(document)
          .find((p) => Number(p.dataset.pageNumber) === request.page)
          ?.scrollIntoView({ block: 'start' });
        // The words too, once their page's text layer is there (now, or when the viewer draws it).
        revealing =
          typeof request.start === 'number'
            ? { page: request.page, start: request.start, until: performance.now() + REVEAL_WAIT_MS }
            : null;
        revealWords();
        return true;
      case 'rn:pdf-can-share':
        canShare = request.canShare;
        return true;
      case 'rn:pdf-region-tool':
        pendingRegion = null;
        overlay.showActions(null, canShare);
        regionTool.setActive(request.active === true);
        return true;
      case 'rn:pdf-current-page':
        return currentPage();
      case 'rn:pdf-text':
        return true;
    }
  };

  return {
    handle: (request) => answer(request) as InPlaceReply[(typeof request)['type']],
    redraw,
    destroy() {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
      overlay.destroy();
    },
  };
}
