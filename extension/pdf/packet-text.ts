/** Extracts every page's text with the same options the text layer uses, so offsets agree with the DOM. */

import { buildPacketText, buildPageText, type PacketText, type PageText, textItemsOf } from '@randnoter/shared/anchoring/page-text';
import type { PDFDocumentProxy } from 'pdfjs-dist';

export async function extractPageText(pdf: PDFDocumentProxy, pageNumber: number): Promise<PageText> {
  const page = await pdf.getPage(pageNumber);
  const content = await page.getTextContent({ disableNormalization: true });
  return buildPageText(pageNumber, textItemsOf(content.items));
}

export async function extractPacketText(pdf: PDFDocumentProxy): Promise<PacketText> {
  const pages: PageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) pages.push(await extractPageText(pdf, n));
  return buildPacketText(pages);
}
