/**
 * Adds a top-level bookmark (outline entry) to a PDF, keeping the bookmarks it already has, so the
 * overview appended to a packet is one click away in any reader's sidebar.
 */
import { PDFDict, type PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

export function addBookmark(doc: PDFDocument, title: string, page: PDFRef): void {
  const context = doc.context;
  const catalog = doc.catalog;
  const existing = catalog.get(PDFName.of('Outlines'));
  let outlines = existing instanceof PDFRef ? context.lookupMaybe(existing, PDFDict) : existing instanceof PDFDict ? existing : undefined;
  let outlinesRef = existing instanceof PDFRef ? existing : undefined;
  if (!outlines) outlines = context.obj({ Type: 'Outlines', Count: 0 });
  if (!outlinesRef) {
    outlinesRef = context.register(outlines);
    catalog.set(PDFName.of('Outlines'), outlinesRef);
  }
  const last = outlines.get(PDFName.of('Last')) as PDFRef | undefined;
  const itemRef = context.nextRef();
  const item = context.obj({ Title: PDFHexString.fromText(title), Parent: outlinesRef, Dest: [page, 'XYZ', null, null, null] });
  if (last) {
    item.set(PDFName.of('Prev'), last);
    context.lookupMaybe(last, PDFDict)?.set(PDFName.of('Next'), itemRef);
  } else {
    outlines.set(PDFName.of('First'), itemRef);
  }
  outlines.set(PDFName.of('Last'), itemRef);
  const count = outlines.get(PDFName.of('Count'));
  const open = count instanceof PDFNumber ? count.asNumber() : 0;
  // A positive count means "open"; a closed outline's negative count stays closed and counts one more.
  outlines.set(PDFName.of('Count'), PDFNumber.of(open < 0 ? open - 1 : open + 1));
  context.assign(itemRef, item);
}
