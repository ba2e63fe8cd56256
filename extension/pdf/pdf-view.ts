/**
 * The pdf.js viewer component (pages, text layer, links, find) inside a scroll container, with a
 * small surface for the rest of the extension: page events, navigation, zoom and search.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { EventBus, PDFFindController, PDFLinkService, PDFViewer } from 'pdfjs-dist/web/pdf_viewer.mjs';

export interface PdfView {
  readonly viewer: PDFViewer;
  readonly eventBus: EventBus;
  /** The `.page` element of a page, once pdf.js created it. */
  pageElement(pageNumber: number): HTMLElement | null;
  /** Calls back whenever a page's text layer (re)appears, e.g. after scrolling to it or zooming. */
  onTextLayer(listener: (pageNumber: number, pageElement: HTMLElement) => void): () => void;
  onPageChange(listener: (pageNumber: number) => void): () => void;
  goToPage(pageNumber: number): void;
  zoom(steps: number): void;
  find(query: string, again?: boolean): void;
  /** Names every page region in the UI's language ("Side 3"); pdf.js's own names are English. */
  labelPages(name: (pageNumber: number) => string): void;
  destroy(): void;
}

/**
 * What pdf.js asks its localisation for. pdf.js's own (GenericL10n) would name every page region
 * "Page N" in English and rename it whenever it sees the page again; with this one pdf.js leaves
 * names to us (labelPages). The viewer uses none of pdf.js's other UI strings.
 */
const quietL10n = {
  getLanguage: () => document.documentElement.lang || 'da',
  getDirection: () => 'ltr',
  get: async (ids: string | string[]) => (Array.isArray(ids) ? ids.map(() => '') : ''),
  translate: async () => {},
  translateOnce: async () => {},
  destroy: async () => {},
  pause: () => {},
  resume: () => {},
};

export function createPdfView(container: HTMLDivElement, pdf: PDFDocumentProxy): PdfView {
  const eventBus = new EventBus();
  const linkService = new PDFLinkService({ eventBus });
  const findController = new PDFFindController({ eventBus, linkService });
  const viewer = new PDFViewer({
    container,
    eventBus,
    linkService,
    findController,
    removePageBorders: false,
    l10n: quietL10n as unknown as ConstructorParameters<typeof PDFViewer>[0]['l10n'],
  });
  let pageName: ((pageNumber: number) => string) | null = null;
  const namePages = () => {
    if (!pageName) return;
    for (const page of container.querySelectorAll<HTMLElement>('.page[data-page-number]')) {
      page.setAttribute('aria-label', pageName(Number(page.dataset.pageNumber)));
    }
  };
  linkService.setViewer(viewer);
  eventBus.on('pagesinit', () => {
    viewer.currentScaleValue = 'page-width';
    namePages();
  });
  viewer.setDocument(pdf);
  linkService.setDocument(pdf);

  const pageElement = (n: number) => container.querySelector<HTMLElement>(`.page[data-page-number="${n}"]`);

  return {
    viewer,
    eventBus,
    pageElement,
    onTextLayer(listener) {
      const handler = ({ pageNumber }: { pageNumber: number }) => {
        const element = pageElement(pageNumber);
        if (element) listener(pageNumber, element);
      };
      eventBus.on('textlayerrendered', handler);
      return () => eventBus.off('textlayerrendered', handler);
    },
    onPageChange(listener) {
      const handler = ({ pageNumber }: { pageNumber: number }) => listener(pageNumber);
      eventBus.on('pagechanging', handler);
      return () => eventBus.off('pagechanging', handler);
    },
    goToPage(pageNumber) {
      viewer.currentPageNumber = Math.max(1, Math.min(pdf.numPages, pageNumber));
    },
    zoom(steps) {
      if (steps > 0) viewer.increaseScale({ steps });
      else viewer.decreaseScale({ steps: -steps });
    },
    find(query, again = false) {
      eventBus.dispatch('find', {
        source: null,
        type: again ? 'again' : '',
        query,
        caseSensitive: false,
        entireWord: false,
        highlightAll: true,
        findPrevious: false,
        matchDiacritics: false,
      });
    },
    labelPages(name) {
      pageName = name;
      namePages();
    },
    destroy() {
      viewer.cleanup();
      void pdf.loadingTask.destroy();
    },
  };
}
