/**
 * Image prints (shared/anchoring/page-fingerprint.ts) of the pages that have too little text to be
 * told apart by it: scans and nearly empty pages. Each is rendered by pdf.js on its own small
 * canvas, always at the same width and without annotations, so the print depends on the page and
 * not on the zoom, the screen or what the viewer has drawn. Rendered once, on first request, one
 * page at a time (a scan's image is decoded in full whatever the size drawn).
 */
import { greyOfRgba, type Hash64, hasTextPrint, imageFingerprint } from '@randnoter/shared/anchoring/page-fingerprint';
import type { PacketText } from '@randnoter/shared/text/page-text';
import { AnnotationMode, type PDFDocumentProxy } from 'pdfjs-dist';

/** Canvas width for prints: cells of the 9 × 8 grid average about 14 × 23 pixels at this size. */
const PRINT_RENDER_WIDTH = 128;
/** A page that takes longer than this to draw (a crafted image) gets no print rather than holding the others up. */
const PRINT_RENDER_TIMEOUT_MS = 10_000;

export type PageImages = () => Promise<ReadonlyArray<Hash64 | null>>;

/** The image print of one page. */
async function pageImagePrint(pdf: PDFDocumentProxy, pageNumber: number): Promise<Hash64> {
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale: PRINT_RENDER_WIDTH / page.getViewport({ scale: 1 }).width });
  const canvas = document.createElement('canvas');
  canvas.width = PRINT_RENDER_WIDTH;
  canvas.height = Math.max(1, Math.round(viewport.height));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas');
  const task = page.render({ canvas: null, canvasContext: context, viewport, annotationMode: AnnotationMode.DISABLE });
  const timer = setTimeout(() => task.cancel(), PRINT_RENDER_TIMEOUT_MS);
  try {
    await task.promise;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    return imageFingerprint(greyOfRgba(data, canvas.width, canvas.height), canvas.width, canvas.height);
  } finally {
    clearTimeout(timer);
    canvas.width = 0; // frees the pixels now rather than at the next garbage collection
  }
}

/**
 * The image prints of the packet's pages without a text print (null for the others, and for a
 * page that fails to render or takes too long: its notes then go to "Noter at tjekke" rather
 * than anywhere).
 */
export function createPageImages(pdf: PDFDocumentProxy, text: PacketText): PageImages {
  let all: Promise<Array<Hash64 | null>> | null = null;
  const renderAll = async () => {
    const prints: Array<Hash64 | null> = [];
    for (const page of text.pages) {
      prints.push(hasTextPrint(page.text) ? null : await pageImagePrint(pdf, page.page).catch(() => null));
    }
    return prints;
  };
  return () => {
    all ??= renderAll();
    return all;
  };
}
