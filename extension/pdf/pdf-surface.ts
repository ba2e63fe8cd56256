/**
 * The pdf.js viewer as an annotation surface: text selection in the text layers, the actions
 * toolbar at the selection, region drawing for pages without text, and highlights per page.
 */

import type { Target } from '@randnoter/shared/model/annotation';
import type { PacketText } from '@randnoter/shared/text/page-text';
import { ObservableV2 } from 'lib0/observable';
import { createSelectionActions } from '../components/selection-actions.ts';
import type { Messages } from '../i18n/messages.ts';
import type { DocumentSurface, Mark, SurfaceEvents, WriteKind } from '../surface/document-surface.ts';
import { drawPageHighlights, highlightAt } from './highlights.ts';
import type { PageImages } from './page-images.ts';
import type { PdfView } from './pdf-view.ts';
import { createRegionDraw } from './region-draw.ts';
import { rangeToOffsets } from './selection.ts';

type PdfSurfaceEvents = SurfaceEvents & {
  /** The region tool was switched on or off. */
  regionTool: (active: boolean) => void;
};

export interface PdfSurface extends DocumentSurface {
  readonly events: ObservableV2<PdfSurfaceEvents>;
  /** Switches the region tool; the next rectangle drawn offers "Tilføj note" / "Del kommentar". */
  setRegionTool(active: boolean): void;
  readonly regionToolActive: boolean;
}

/**
 * The search hit pdf.js marks as the current one (its highlight may span several text-layer
 * pieces), as a range: what a keyboard user annotates after finding the text with the search
 * field, without selecting it with a mouse.
 */
function searchHit(container: HTMLElement): Range | null {
  const pieces = container.querySelectorAll('.textLayer .highlight.selected');
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!first || !last) return null;
  const range = document.createRange();
  range.setStartBefore(first);
  range.setEndAfter(last);
  return range;
}

export function createPdfSurface(
  view: PdfView,
  container: HTMLElement,
  text: PacketText,
  t: Messages,
  version: string,
  pageImages: PageImages,
): PdfSurface {
  const events = new ObservableV2<PdfSurfaceEvents>();
  const cleanups: Array<() => void> = [];
  let marks: readonly Mark[] = [];
  let canShare = false;
  /** A drawn region waiting for the user's choice; null means "the text selection". */
  let pendingRegion: Target | null = null;

  const emitWrite = (kind: WriteKind) => {
    const target = pendingRegion;
    pendingRegion = null;
    actions.hide();
    events.emit('write', [kind, target]);
  };
  const actions = createSelectionActions(t, { addNote: () => emitWrite('note'), shareComment: () => emitWrite('comment') }, () => canShare);
  document.body.append(actions.element);
  cleanups.push(() => actions.element.remove());

  let selectionTimer = 0;
  const onSelectionChange = () => {
    clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(() => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0 || !container.contains(selection.anchorNode)) {
        if (!pendingRegion) actions.hide();
        return;
      }
      pendingRegion = null;
      actions.show(selection.getRangeAt(0).getBoundingClientRect());
    }, 120);
  };
  document.addEventListener('selectionchange', onSelectionChange);
  cleanups.push(() => document.removeEventListener('selectionchange', onSelectionChange));

  const regionDraw = createRegionDraw(container, (region, rect) => {
    setRegionTool(false);
    pendingRegion = { page: region.page, region, packetVersion: version };
    actions.show(rect);
  });
  cleanups.push(() => regionDraw.destroy());
  const setRegionTool = (active: boolean) => {
    regionDraw.setActive(active);
    events.emit('regionTool', [active]);
  };

  // Every page pdf.js has drawn, scans (whose text layer is empty) included: a region note on a scan shows at once.
  const drawAll = () => {
    for (const pageElement of container.querySelectorAll<HTMLElement>('.page[data-loaded]')) {
      drawPageHighlights(pageElement, Number(pageElement.dataset.pageNumber), marks, text);
    }
  };
  cleanups.push(
    view.onTextLayer((n, pageElement) => {
      drawPageHighlights(pageElement, n, marks, text);
      events.emit('rendered', []);
    }),
  );

  const onClick = (event: MouseEvent) => {
    const pageElement = (event.target as Element).closest<HTMLElement>('.page');
    if (!pageElement || !document.getSelection()?.isCollapsed) return;
    const id = highlightAt(pageElement, event.clientX, event.clientY);
    if (id) events.emit('markClicked', [id]);
  };
  container.addEventListener('click', onClick);
  cleanups.push(() => container.removeEventListener('click', onClick));

  return {
    text,
    events,
    pageImages,
    async selection() {
      const selection = document.getSelection();
      const range = selection && selection.rangeCount > 0 && !selection.isCollapsed ? selection.getRangeAt(0) : searchHit(container);
      return range ? rangeToOffsets(range, container.querySelectorAll('.page'), text) : null;
    },
    clearSelection() {
      document.getSelection()?.removeAllRanges();
      if (!pendingRegion) actions.hide();
    },

    showMarks(next) {
      marks = next;
      drawAll();
    },
    reveal({ page }) {
      view.goToPage(page);
    },
    currentPage: () => view.viewer.currentPageNumber,
    setCanShare(value) {
      canShare = value;
    },
    setRegionTool,
    get regionToolActive() {
      return regionDraw.active;
    },

    destroy() {
      for (const cleanup of cleanups) cleanup();
      events.destroy();
    },
  };
}
