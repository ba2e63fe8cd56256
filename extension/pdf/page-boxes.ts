/** Where each page's text items are drawn, read with the text layer's options so item i matches the PageText's item i. */
import { type PacketBoxes, type TextBox, textBoxesOf } from '@randnoter/shared/export/text-boxes';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { TEXT_LAYER_CONTENT } from './packet-text.ts';

export async function readPageBoxes(pdf: PDFDocumentProxy, pages: readonly number[]): Promise<PacketBoxes> {
  const boxes = new Map<number, TextBox[]>();
  for (const n of pages) {
    const page = await pdf.getPage(n);
    boxes.set(n, textBoxesOf((await page.getTextContent(TEXT_LAYER_CONTENT)).items));
  }
  return boxes;
}
