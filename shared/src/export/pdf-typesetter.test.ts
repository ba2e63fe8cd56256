import { PDFArray, PDFContentStream, PDFDocument, PDFRawStream, PDFRef, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { BLACK, Typesetter } from './pdf-typesetter.ts';

/** What each of a page's content streams is in the document: still operators, or encoded bytes. */
function streamKinds(doc: PDFDocument, pageIndex: number): string[] {
  const contents = doc.getPage(pageIndex).node.Contents();
  if (!(contents instanceof PDFArray)) return [];
  return contents.asArray().map((ref) => {
    const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : undefined;
    return stream instanceof PDFContentStream ? 'operators' : stream instanceof PDFRawStream ? 'bytes' : 'other';
  });
}

describe('the PDF typesetter', () => {
  // pdf-lib keeps every drawing operator as objects until the document is saved, about 14 KB a
  // note: a 10,000-note overview held 140 MB of them in the heap.
  it('encodes each finished page’s drawing at once, keeping operators only for the page being filled', async () => {
    const doc = await PDFDocument.create();
    const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
    const t = new Typesetter(doc, fonts, 'Overblik');
    t.newPage();
    for (let i = 0; i < 200; i++)
      t.block(t.wrap(`Kommentar ${i}: hvad koster det?`, { font: fonts.regular, size: 10.5, color: BLACK, indent: 0 }, 6));
    const pages = doc.getPageCount();
    expect(pages).toBeGreaterThan(2);
    for (let p = 0; p < pages - 1; p++) expect(streamKinds(doc, p)[0]).toBe('bytes');
    expect(streamKinds(doc, pages - 1)).toEqual(['operators']);

    // Footers go into a second stream of each page; the document saves and reads back whole.
    expect(t.finish()).toHaveLength(pages);
    expect(streamKinds(doc, 0)).toEqual(['bytes', 'operators']);
    const reread = await PDFDocument.load(await doc.save());
    expect(reread.getPageCount()).toBe(pages);
  });
});
