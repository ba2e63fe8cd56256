/**
 * Fetches a packet and opens it with pdf.js, with the user's cookies (many meeting systems need
 * the session). A big packet opens at once where its server answers range requests: pdf.js then
 * fetches the parts it needs for the first pages (and the cross-reference table at the file's
 * end) while the rest streams in, as pdf.js's own viewer does. Where the server does not, the
 * whole file is read first. The file's bytes are not kept in the page: pdf.js's worker holds them,
 * and export (the annotated packet) asks it for a copy when it needs one.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import { browser } from 'wxt/browser';
import { trackDownload } from './download-share.ts';

export interface LoadedPdf {
  pdf: PDFDocumentProxy;
  /** The whole file (once it has arrived: a streamed packet may still be on its way). */
  bytes(): Promise<Uint8Array>;
  fingerprint: string;
  /** Resolves once page `n`'s bytes have likely come (at once for a file read whole). */
  pageLikelyLoaded(n: number): Promise<void>;
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

/** The packet's first answer: the whole file, or (range requests answered) its size, to stream it. */
export type PdfSource = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'ranges'; url: string; length: number };

/**
 * Asks for the file's first byte with the user's cookies: an answer 206 with the file's length
 * means the server answers ranges (pdf.js may stream it); 200 is the whole file, read here. The
 * site's refusal and a failed request are told apart as before streaming, from this answer.
 */
export async function fetchPdfSource(url: string): Promise<PdfSource> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'include', headers: { Range: 'bytes=0-0' } });
  } catch (error) {
    throw new PdfLoadError('network', `network error (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new PdfLoadError('status', `the server answered ${response.status}`);
  const length = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]);
  if (response.status === 206 && Number.isSafeInteger(length) && length > 0) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'ranges', url: response.url || url, length };
  }
  return { kind: 'bytes', bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** pdf.js's range part size, which it also counts what has come in. */
const RANGE_PART = 65_536;

const documentOptions = () => ({
  cMapUrl: asset('cmaps/'),
  cMapPacked: true,
  standardFontDataUrl: asset('standard_fonts/'),
  wasmUrl: asset('wasm/'),
  iccUrl: asset('iccs/'),
  enableXfa: false,
});

export async function openPdf(source: PdfSource): Promise<LoadedPdf> {
  GlobalWorkerOptions.workerSrc = asset('pdf.worker.min.mjs');
  const task =
    source.kind === 'bytes'
      ? // Handed over to the worker (transferred, not copied): the page keeps no second copy of the file.
        getDocument({ ...documentOptions(), data: source.bytes })
      : getDocument({
          ...documentOptions(),
          url: source.url,
          withCredentials: true,
          // pdf.js's own range size (64 KiB): bigger parts wait longer behind the streamed rest on a slow link.
        });
  const progress = trackDownload(source.kind === 'bytes');
  task.onProgress = ({ loaded, total }: { loaded: number; total: number }) => {
    if (total > 0) progress.reached(loaded / total);
  };
  const pdf = await task.promise;
  void pdf.getDownloadInfo().then(
    () => progress.reached(1),
    () => progress.reached(1),
  );
  const fingerprint = pdf.fingerprints[0];
  if (!fingerprint) throw new PdfLoadError('notPdf', 'the PDF has no fingerprint');
  // pdf.js counts what has come in 64 KiB parts, the streamed start and parts fetched by range
  // anywhere in the file alike, and its viewer fetches about one such part a page (each page's
  // size) once the first page is drawn. Packets are mostly stored in page order: page n's bytes
  // have likely streamed once (n-1)/N of the file has come besides those parts. Read before, its
  // text (which loads the page's images too) fetches them again by range, slowing the stream.
  const outOfOrder = source.kind === 'ranges' ? (pdf.numPages * RANGE_PART) / source.length : 0;
  const pageLikelyLoaded = (n: number) => progress.downloaded(Math.min(1, (n - 1) / pdf.numPages + outOfOrder));
  return { pdf, bytes: () => pdf.getData(), fingerprint, pageLikelyLoaded };
}
