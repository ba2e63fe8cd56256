/**
 * The second adapter: a pdf.js component viewer (`.pdfViewer .page[data-page-number]` with text
 * layers) without pdf.js's application object, so the probe has nothing to ask. Its file is found
 * among the page's own requests (resource timing: a fetch or XHR of a `.pdf` address, as pdf.js
 * loads a file from the page); the sidebar opens that file itself, with the user's cookies, and
 * reads fingerprint and text as Randnoter's viewer does.
 */
import type { InPlaceDocument } from '../messaging/inplace-messages.ts';

/** Whether the document shows a component viewer with at least one text layer drawn. */
export function hasComponentViewer(doc: Document): boolean {
  return doc.querySelector('.pdfViewer .page[data-page-number] .textLayer') !== null;
}

/** The PDF the page fetched for its viewer: the last fetch or XHR of a `.pdf` address. */
export function fetchedPdfUrl(entries: readonly PerformanceEntry[]): string | null {
  let found: string | null = null;
  for (const entry of entries) {
    const { initiatorType } = entry as PerformanceResourceTiming;
    if (initiatorType !== 'fetch' && initiatorType !== 'xmlhttprequest') continue;
    try {
      const url = new URL(entry.name);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && /\.pdf$/i.test(url.pathname)) found = url.href;
    } catch {
      // not an address
    }
  }
  return found;
}

export function componentDocument(url: string, title: string): InPlaceDocument {
  return { kind: 'components', fingerprint: '', url, title, pages: [], rotations: [], outline: [] };
}
