/**
 * Extracts every page's text with the options the text layer uses, so item i of a page is item
 * element i of its text layer (`text-layer-items.ts`). Marked content matters even though its
 * markers are dropped: pdf.js ends an item where a marked-content sequence that outlived its text
 * object closes, but only when asked for marked content, as the text layer always asks.
 */

import { buildPacketText, buildPageText, type PacketText, type PageText, textItemsOf } from '@randnoter/shared/text/page-text';
import type { PDFDocumentProxy } from 'pdfjs-dist';

/** What pdf.js's TextLayerBuilder passes to `streamTextContent`. */
export const TEXT_LAYER_CONTENT = { includeMarkedContent: true, disableNormalization: true } as const;

async function extractPageText(pdf: PDFDocumentProxy, pageNumber: number): Promise<PageText> {
  const page = await pdf.getPage(pageNumber);
  const content = await page.getTextContent(TEXT_LAYER_CONTENT);
  return buildPageText(pageNumber, textItemsOf(content.items));
}

export interface ReadingOptions {
  /** Resolves when page `n` may be read (a streamed file: once its bytes are likely to have come). */
  beforePage?: (n: number) => Promise<void>;
  /** After each page: the pages read so far, in page order. */
  onPage?: (pages: readonly PageText[]) => void;
}

/** Every page's text, read in page order (so a streamed packet's first pages are read as they come). */
export async function extractPacketText(pdf: PDFDocumentProxy, options: ReadingOptions = {}): Promise<PacketText> {
  const pages: PageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    await options.beforePage?.(n);
    pages.push(await extractPageText(pdf, n));
    options.onPage?.(pages);
  }
  return buildPacketText(pages);
}
