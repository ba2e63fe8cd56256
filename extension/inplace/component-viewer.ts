/**
 * The second adapter: a pdf.js component viewer (`.pdfViewer .page[data-page-number]` with text
 * layers) without pdf.js's application object, so the probe has nothing to ask. Its file is found
 * among the page's own requests (resource timing: the fetches and XHRs of the page, as pdf.js
 * loads a file from the page); the sidebar opens that file itself, with the user's cookies, and
 * reads fingerprint and text as Randnoter's viewer does.
 *
 * Meeting systems seldom name their files `….pdf` (`/Document.ashx?id=…`, `/api/files/7/content`):
 * an address without that ending counts once its first bytes are a PDF's.
 */
import type { InPlaceDocument } from '../messaging/inplace-messages.ts';

/** How many of the page's latest requests are looked at: a viewer fetches its file early, a busy page much else later. */
export const MAX_CANDIDATES = 8;

/** Where pdf.js looks for the header (`%PDF-`): anywhere in the first 1,024 bytes. */
const HEADER_WINDOW = 1024;

/** Whether the document shows a component viewer with at least one text layer drawn. */
export function hasComponentViewer(doc: Document): boolean {
  return doc.querySelector('.pdfViewer .page[data-page-number] .textLayer') !== null;
}

/** The page's fetches and XHRs over http(s), latest first, each address once, at most MAX_CANDIDATES. */
export function fetchedAddresses(entries: readonly PerformanceEntry[]): string[] {
  const seen = new Set<string>();
  for (let i = entries.length - 1; i >= 0 && seen.size < MAX_CANDIDATES; i--) {
    const entry = entries[i] as PerformanceResourceTiming;
    if (entry.initiatorType !== 'fetch' && entry.initiatorType !== 'xmlhttprequest') continue;
    try {
      const url = new URL(entry.name);
      if (url.protocol === 'http:' || url.protocol === 'https:') seen.add(url.href);
    } catch {
      // not an address
    }
  }
  return [...seen];
}

const namedPdf = (address: string) => /\.pdf$/i.test(new URL(address).pathname);

/**
 * The PDF the page fetched for its viewer: the latest address named `.pdf`, else the latest whose
 * content `isPdf` confirms (asked one at a time, latest first); null when none is.
 */
export async function fetchedPdfUrl(
  entries: readonly PerformanceEntry[],
  isPdf: (url: string) => Promise<boolean>,
): Promise<string | null> {
  const addresses = fetchedAddresses(entries);
  const named = addresses.find(namedPdf);
  if (named) return named;
  for (const address of addresses) if (await isPdf(address)) return address;
  return null;
}

/** Whether `bytes` (a file's start) hold a PDF header where pdf.js looks for one. */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const window = bytes.subarray(0, HEADER_WINDOW);
  for (let i = 0; i + 5 <= window.length; i++) {
    // %PDF-
    if (window[i] === 0x25 && window[i + 1] === 0x50 && window[i + 2] === 0x44 && window[i + 3] === 0x46 && window[i + 4] === 0x2d)
      return true;
  }
  return false;
}

/**
 * Asks the address again (the page's own request, with its cookies) and reads only the start of
 * the answer: a PDF by its content type or its header. The rest of a big file is not downloaded.
 */
export async function startsAsPdf(url: string, fetcher: typeof fetch = fetch): Promise<boolean> {
  const abort = new AbortController();
  let body: ReadableStream<Uint8Array> | null = null;
  try {
    const response = await fetcher(url, { credentials: 'include', signal: abort.signal });
    body = response.body;
    if (!response.ok || !body) return false;
    if (/^application\/pdf\b/i.test(response.headers.get('content-type') ?? '')) return true;
    const reader = body.getReader();
    const start = new Uint8Array(HEADER_WINDOW);
    let filled = 0;
    while (filled < HEADER_WINDOW && !hasPdfHeader(start.subarray(0, filled))) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      const part = value.subarray(0, HEADER_WINDOW - filled);
      start.set(part, filled);
      filled += part.length;
    }
    reader.releaseLock();
    return hasPdfHeader(start.subarray(0, filled));
  } catch {
    return false;
  } finally {
    // The rest of the file is not wanted: stop the download.
    void body?.cancel().catch(() => {});
    abort.abort();
  }
}

/** `isPdf` asked once per address: the viewer's DOM changes often, and each change looks again. */
export function askingOnce(isPdf: (url: string) => Promise<boolean>): (url: string) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>();
  return (url) => {
    let answer = answers.get(url);
    if (!answer) {
      answer = isPdf(url);
      answers.set(url, answer);
    }
    return answer;
  };
}

export function componentDocument(url: string, title: string): InPlaceDocument {
  return { kind: 'components', fingerprint: '', url, title, pages: [], rotations: [], outline: [] };
}
