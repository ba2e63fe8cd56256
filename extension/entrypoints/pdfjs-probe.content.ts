/**
 * The read-only probe: the only Randnoter code that runs in a page's own JavaScript world, on the
 * active sites only (registered by activation/page-scripts.ts), in every frame of them. It looks
 * for a pdf.js viewer (`PDFViewerApplication`) and answers the isolated world's questions about it
 * (page count, fingerprint, page text, page rotations, bookmarks) and passes on the viewer's
 * events. It reads what the page already has, changes nothing in the viewer, and is handed no note
 * or token: whatever it says, the page could say too, and the isolated world checks it as such
 * (messaging/probe-messages.ts).
 */
import { readPdfOutline } from '@randnoter/shared/agenda/pdf-outline';
import { defineContentScript } from 'wxt/utils/define-content-script';
import {
  isProbeQuestion,
  PROBE_CHANNEL,
  type ProbeEventName,
  type ProbeInfo,
  type ProbeQuestion,
  type ProbeTextItem,
} from '../messaging/probe-messages.ts';

/** The parts of pdf.js's application object and document the probe reads (typed loosely: any pdf.js version). */
interface PdfDocumentLike {
  numPages: number;
  fingerprints?: unknown[];
  fingerprint?: unknown;
  getPage(n: number): Promise<{ rotate?: unknown; getTextContent(options: object): Promise<{ items: unknown[] }> }>;
  getOutline(): Promise<unknown>;
  getDestination(name: string): Promise<unknown[] | null>;
  getPageIndex(ref: { num: number; gen: number }): Promise<number>;
}
interface ViewerApplicationLike {
  pdfDocument?: PdfDocumentLike | null;
  pdfViewer?: unknown;
  eventBus?: { on(name: string, listener: (event: { pageNumber?: unknown }) => void): void };
  url?: unknown;
  documentInfo?: { Title?: unknown } | null;
}

/** A viewer that starts late is looked for after the page changes, at most this often. */
const LOOK_EVERY_MS = 500;

/** Viewer events and what they mean to the overlay: a page's text is there, or pages moved. */
const VIEWER_EVENTS: Record<string, ProbeEventName> = {
  textlayerrendered: 'text-layer',
  pagerendered: 'layout',
  pagesdestroy: 'layout',
  scalechanging: 'layout',
  rotationchanging: 'layout',
  updateviewarea: 'layout',
  pagesinit: 'ready',
  documentloaded: 'ready',
};

function applicationOf(win: Window): ViewerApplicationLike | null {
  const app = (win as unknown as { PDFViewerApplication?: ViewerApplicationLike }).PDFViewerApplication;
  return app && typeof app === 'object' && app.pdfDocument && app.pdfViewer ? app : null;
}

function fingerprintOf(doc: PdfDocumentLike): string {
  const first = Array.isArray(doc.fingerprints) ? doc.fingerprints[0] : doc.fingerprint;
  return typeof first === 'string' ? first : '';
}

function infoOf(app: ViewerApplicationLike, doc: PdfDocumentLike): ProbeInfo {
  const title = typeof app.documentInfo?.Title === 'string' ? app.documentInfo.Title : document.title;
  // The generic viewer keeps the address as it was given, often relative to the viewer page.
  let url = '';
  try {
    url = typeof app.url === 'string' && app.url ? new URL(app.url, location.href).href : '';
  } catch {
    url = '';
  }
  return { kind: 'application', fingerprint: fingerprintOf(doc), pages: doc.numPages, url, title };
}

/** A page's text with the options pdf.js's text layer uses, so item i is the layer's item element i. */
async function pageTextOf(doc: PdfDocumentLike, page: number): Promise<ProbeTextItem[]> {
  const content = await (await doc.getPage(page)).getTextContent({ includeMarkedContent: true, disableNormalization: true });
  const items: ProbeTextItem[] = [];
  for (const item of content.items) {
    const { str, hasEOL, transform, height } = item as Partial<ProbeTextItem>;
    if (typeof str !== 'string') continue;
    items.push({ str, hasEOL: hasEOL === true, transform: Array.isArray(transform) ? transform : [], height: height ?? 0 });
  }
  return items;
}

/** Each page's own rotation (pdf.js normalises /Rotate to 0, 90, 180 or 270): region notes are placed by it. */
async function rotationsOf(doc: PdfDocumentLike): Promise<unknown[]> {
  const rotations: unknown[] = [];
  for (let page = 1; page <= doc.numPages; page++) rotations.push((await doc.getPage(page)).rotate ?? 0);
  return rotations;
}

async function answerOf(question: ProbeQuestion, win: Window): Promise<unknown> {
  const app = applicationOf(win);
  const doc = app?.pdfDocument;
  if (!app || !doc) return null;
  switch (question.ask) {
    case 'info':
      return infoOf(app, doc);
    case 'page-text':
      return question.page <= doc.numPages ? pageTextOf(doc, question.page) : null;
    case 'outline':
      return readPdfOutline(doc);
    case 'rotations':
      return rotationsOf(doc);
  }
}

function startProbe(win: Window): void {
  const post = (message: object) => win.postMessage({ channel: PROBE_CHANNEL, ...message }, '*');
  win.addEventListener('message', (event) => {
    if (event.source !== win || !isProbeQuestion(event.data)) return;
    const question = event.data;
    answerOf(question, win).then(
      (value) => post({ answer: question.id, value }),
      () => post({ answer: question.id, value: null }),
    );
  });
  // A viewer shows its document by adding pages to the page: its application object is looked
  // for now and after the page changes (at most every LOOK_EVERY_MS), however late it starts (a
  // portal that builds its viewer when a document is chosen), and no longer once found.
  let scheduled = 0;
  const look = () => {
    scheduled = 0;
    const app = applicationOf(win);
    if (!app) return;
    changes.disconnect();
    for (const [name, event] of Object.entries(VIEWER_EVENTS)) {
      app.eventBus?.on(name, ({ pageNumber }) => post(typeof pageNumber === 'number' ? { event, page: pageNumber } : { event }));
    }
    post({ event: 'ready' });
  };
  const changes = new MutationObserver(() => {
    if (scheduled === 0) scheduled = win.setTimeout(look, LOOK_EVERY_MS);
  });
  changes.observe(win.document.documentElement, { childList: true, subtree: true });
  look();
}

export default defineContentScript({
  // Registered at run time for the active hosts only, in the page's world (activation/page-scripts.ts).
  registration: 'runtime',
  world: 'MAIN',
  runAt: 'document_idle',
  main() {
    startProbe(window);
  },
});
