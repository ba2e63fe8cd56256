/**
 * Fetches a packet and opens it with pdf.js. The bytes are fetched by the extension page with
 * the user's cookies (many meeting systems need the session), and kept for export.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import { browser } from 'wxt/browser';

export interface LoadedPdf {
  pdf: PDFDocumentProxy;
  bytes: Uint8Array;
  fingerprint: string;
}

/** Where the build copies pdf.js's worker and data files (see wxt.config.ts). */
// (Typed loosely: WXT only knows files in public/, and these are added by a build hook.)
const asset = (path: string) => (browser.runtime.getURL as (path: string) => string)(`/pdfjs/${path}`);

/** Why a packet could not be opened: no answer, the site's refusal, or not a PDF pdf.js can read (messages.ts `loadFailed`). */
export class PdfLoadError extends Error {
  readonly kind: 'network' | 'status' | 'notPdf';
  constructor(kind: PdfLoadError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

export async function fetchPdfBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'include' });
  } catch (error) {
    throw new PdfLoadError('network', `network error (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new PdfLoadError('status', `the server answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function openPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  GlobalWorkerOptions.workerSrc = asset('pdf.worker.min.mjs');
  // pdf.js transfers the buffer to its worker: give it a copy so `bytes` stays usable for export.
  const pdf = await getDocument({
    data: bytes.slice(),
    cMapUrl: asset('cmaps/'),
    cMapPacked: true,
    standardFontDataUrl: asset('standard_fonts/'),
    wasmUrl: asset('wasm/'),
    iccUrl: asset('iccs/'),
    enableXfa: false,
  }).promise;
  const fingerprint = pdf.fingerprints[0];
  if (!fingerprint) throw new PdfLoadError('notPdf', 'the PDF has no fingerprint');
  return { pdf, bytes, fingerprint };
}
