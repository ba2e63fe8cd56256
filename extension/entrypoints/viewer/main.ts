/**
 * The packet viewer: composes pdf/ (page → anchors) with sync/ (anchors → Y.Doc → server)
 * through the annotator. Data flows one way: the documents are the truth; the Overblik and the
 * highlights are recomputed from them after every change.
 */
import 'pdfjs-dist/web/pdf_viewer.css';
import '../../styles/design.css';
import './style.css';
import { isGuessed } from '@randnoter/shared/agenda/outline';
import { readPdfOutline } from '@randnoter/shared/agenda/pdf-outline';
import { fingerprintUrn } from '@randnoter/shared/identity/packet-identity';
import { withoutLines } from '@randnoter/shared/text/page-text';
import { browser } from 'wxt/browser';
import { followSettings } from '../../annotator/follow-settings.ts';
import { FOCUS_PARAM } from '../../annotator/notifications-pane.ts';
import { runShortcut } from '../../annotator/run-shortcut.ts';
import { openSession } from '../../annotator/session.ts';
import { type Annotator, startAnnotator } from '../../annotator/start-annotator.ts';
import { watchSignIn } from '../../auth/browser-auth.ts';
import { focusToKeep } from '../../components/contents-pane.ts';
import { agendaFromLinkingPage } from '../../html/linked-agenda.ts';
import { messages } from '../../i18n/messages.ts';
import { fetchPdfSource, openPdf, PdfLoadError } from '../../pdf/load-pdf.ts';
import { extractPacketText } from '../../pdf/packet-text.ts';
import { readPageBoxes } from '../../pdf/page-boxes.ts';
import { createPageImages } from '../../pdf/page-images.ts';
import { createPdfSurface, type PdfSurface } from '../../pdf/pdf-surface.ts';
import { createPdfView, type PdfView } from '../../pdf/pdf-view.ts';
import { loadSettings, type Settings, watchSettings } from '../../settings/settings.ts';
import { shortcutOf } from '../../surface/shortcut-keys.ts';
import { startAgendaDetector } from './agenda-detector.ts';
import { renderBookmarks } from './bookmarks.ts';
import { createContentsPreview } from './contents-preview.ts';
import { offerHostAccess } from './host-access-offer.ts';
import { buildLayout, type Layout, labelLayout } from './layout.ts';

async function main(): Promise<void> {
  const settings = await loadSettings();
  const t = messages(settings.language);
  document.documentElement.lang = settings.language;
  const fileUrl = new URLSearchParams(location.search).get('file');
  const layout = buildLayout(document.getElementById('app') as HTMLElement, t, fileUrl ?? '');
  const showMessage = (text: string) => {
    layout.message.textContent = text;
    layout.message.hidden = false;
  };
  if (!fileUrl) {
    showMessage(t.missingFile);
    return;
  }
  document.title = `${decodeURIComponent(fileUrl.split(/[/?#]/).filter(Boolean).pop() ?? '')} – Randnoter`;
  showMessage(t.loading);

  let loaded: Awaited<ReturnType<typeof openPdf>>;
  try {
    loaded = await openPdf(await fetchPdfSource(fileUrl));
  } catch (error) {
    // pdf.js's own errors (an invalid or password-protected file) mean it is not a PDF it can read.
    console.error('Randnoter: the document could not be opened', error);
    showMessage(t.loadFailed[error instanceof PdfLoadError ? error.kind : 'notPdf']);
    await offerHostAccess(layout.message, fileUrl, t);
    return;
  }
  layout.message.hidden = true;
  const { pdf, fingerprint, bytes, pageLikelyLoaded } = loaded;
  const view = createPdfView(layout.container, pdf);
  wireToolbar(layout, view, pdf.numPages);

  // A streamed packet: the first page is drawn before any text is asked for, so its parts are
  // fetched first. Then the pages are read in page order as the file comes, Indhold growing with
  // them, each once its bytes have likely come (load-pdf.ts), so the reads keep behind the stream
  // instead of fetching by range the bytes it is about to bring (which made reading slower:
  // docs/PERFORMANCE.md). A page stored elsewhere is still read, by range. Notes, anchoring and
  // exports wait for every page (the annotator starts then).
  await firstTextLayer(view);
  const bookmarks = await readPdfOutline(pdf);
  const detector = startAgendaDetector(bookmarks);
  const preview = createContentsPreview(layout.contents, t, { pageCount: pdf.numPages, detector, jump: (page) => view.goToPage(page) });
  const read = await extractPacketText(pdf, {
    beforePage: pageLikelyLoaded,
    onPage: (pages) => preview.update(pages),
  });
  preview.destroy();
  const { outline, meetingDate } = await detector.detect(read.pages, { meetingDate: true }).finally(() => detector.close());
  const title = ((await pdf.getMetadata().catch(() => null))?.info as { Title?: string } | undefined)?.Title ?? '';
  const version = fingerprintUrn(fingerprint);
  // Unsure of its own structure: an agenda page that links this PDF may know it (and is checked against its pages).
  const unsure = outline.items.length === 0 || isGuessed(outline);
  const fromPage = unsure ? await agendaFromLinkingPage(browser.storage.local, fileUrl, read.pages).catch(() => null) : null;
  // What detection read is done with: the text is kept to anchor notes, without the lines.
  const text = withoutLines(read);
  const pageImages = createPageImages(pdf, text);
  const packetTitle = title || document.title.replace(/ – Randnoter$/, '');

  // Opened from "Til mig" at a comment: focused once shown, on the first start only; the address kept is without it.
  const address = new URL(location.href);
  let focusOnOpen = address.searchParams.get(FOCUS_PARAM);
  address.searchParams.delete(FOCUS_PARAM);
  /** Everything that depends on the settings: started now, and again when they change. */
  const start = async (current: Settings): Promise<{ annotator: Annotator; surface: PdfSurface }> => {
    const t = messages(current.language);
    document.documentElement.lang = current.language;
    labelLayout(layout, t);
    view.labelPages(t.pageRegion);
    const session = await openSession(current, { fingerprint, url: fileUrl, title, pageCount: pdf.numPages, outline, meetingDate });
    const surface = createPdfSurface(view, layout.container, text, t, version, pageImages);
    surface.events.on('regionTool', (active) => layout.regionNote.setAttribute('aria-pressed', String(active)));
    const annotator = await startAnnotator({
      t,
      settings: current,
      session,
      surface,
      outline,
      corrections: true,
      fromPage,
      version,
      places: { overview: layout.overview, contents: layout.contents, status: layout.status },
      showPages: true,
      title: packetTitle,
      meetingDate,
      pdf: { bytes, boxes: (pages) => readPageBoxes(pdf, pages) },
      // A group's room was rewritten (1012): its local copy is gone; start again from the server's.
      restart: () => void restart(),
      goToPage: (page) => view.goToPage(page),
      openUrl: address.href,
      focusOnOpen,
    });
    focusOnOpen = null;
    if (!annotator.hasAgenda) void renderBookmarks(layout.contents, pdf, view);
    annotator.readingPage(view.viewer.currentPageNumber);
    return { annotator, surface };
  };
  let current = settings;
  let open = await start(settings);
  const stop = () => {
    open.surface.setRegionTool(false);
    open.annotator.destroy();
    open.surface.destroy();
  };
  let restarting = Promise.resolve();
  const restart = () => {
    // One restart at a time; one that failed does not stop the next.
    restarting = restarting
      .catch(() => undefined)
      .then(async () => {
        // A secretary who just closed an item keeps their place in Indhold.
        const keep = focusToKeep(layout.contents);
        stop();
        open = await start(current);
        if (keep) layout.contents.querySelector<HTMLElement>(keep)?.focus();
      });
    return restarting;
  };
  const stopFollowing = followSettings(
    settings,
    watchSettings,
    async (next) => {
      current = next;
      await restart();
    },
    watchSignIn,
  );

  view.onPageChange((page) => open.annotator.readingPage(page));
  layout.pageNote.addEventListener('click', () => void open.annotator.controller.writePageNote('note'));
  layout.regionNote.addEventListener('click', () => open.surface.setRegionTool(!open.surface.regionToolActive));
  document.addEventListener('keydown', (event) => {
    const shortcut = shortcutOf(event);
    if (!shortcut) return;
    event.preventDefault();
    runShortcut(shortcut, open.annotator.controller, () => {
      layout.overview.hidden = !layout.overview.hidden;
    });
  });

  window.addEventListener('pagehide', () => {
    stopFollowing();
    stop();
  });
  document.body.dataset.ready = 'true';
}

/** The first page's text layer drawn, or 20 s gone by (the text is then read all the same). */
function firstTextLayer(view: PdfView): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, 20_000);
    const stop = view.onTextLayer(() => done());
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

function wireToolbar(layout: Layout, view: PdfView, pages: number): void {
  layout.pageCount.textContent = `/ ${pages}`;
  layout.pageInput.max = String(pages);
  layout.prev.addEventListener('click', () => view.goToPage(view.viewer.currentPageNumber - 1));
  layout.next.addEventListener('click', () => view.goToPage(view.viewer.currentPageNumber + 1));
  layout.pageInput.addEventListener('change', () => view.goToPage(Number(layout.pageInput.value)));
  view.onPageChange((n) => {
    layout.pageInput.value = String(n);
  });
  layout.zoomIn.addEventListener('click', () => view.zoom(1));
  layout.zoomOut.addEventListener('click', () => view.zoom(-1));
  layout.search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') view.find(layout.search.value, true);
  });
  layout.search.addEventListener('input', () => view.find(layout.search.value));
}

void main();
