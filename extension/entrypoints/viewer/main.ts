/**
 * The packet viewer: composes pdf/ (page → anchors) with sync/ (anchors → Y.Doc → server).
 * Data flows one way: the Y.Doc is the truth; the sidebar and highlights are drawn from it.
 */
import 'pdfjs-dist/web/pdf_viewer.css';
import './style.css';
import { groupByItem, type Placed } from '@randnoter/shared/agenda/group-by-item';
import { anchorTarget } from '@randnoter/shared/anchoring/anchor';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import type { PacketText } from '@randnoter/shared/anchoring/page-text';
import { fingerprintUrn, provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import { AnnotationKind, type Author } from '@randnoter/shared/model/annotation';
import { annotationsOf, insertAnnotation, liveAnnotations, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { providerRoomName } from '@randnoter/shared/protocol/rooms';
import * as Y from 'yjs';
import { openEditor } from '../../components/note-editor.ts';
import { type Card, createOverview } from '../../components/overview.ts';
import { createSelectionActions } from '../../components/selection-actions.ts';
import { renderStatus } from '../../components/status-line.ts';
import { messages } from '../../i18n/messages.ts';
import { drawPageHighlights, highlightAt, type Mark } from '../../pdf/highlights.ts';
import { fetchPdfBytes, openPdf } from '../../pdf/load-pdf.ts';
import { extractPacketText } from '../../pdf/packet-text.ts';
import { createPdfView } from '../../pdf/pdf-view.ts';
import { rangeToOffsets } from '../../pdf/selection.ts';
import { loadSettings } from '../../settings/settings.ts';
import { connectRoom, type RoomConnection } from '../../sync/room-connection.ts';
import { fetchMe, registerPacket } from '../../sync/server-api.ts';
import { renderContents } from './contents.ts';
import { buildLayout } from './layout.ts';

async function main(): Promise<void> {
  const settings = await loadSettings();
  const t = messages(settings.language);
  document.documentElement.lang = settings.language;
  const fileUrl = new URLSearchParams(location.search).get('file');
  const app = document.getElementById('app') as HTMLElement;
  const layout = buildLayout(app, t, fileUrl ?? '');
  const showMessage = (text: string) => {
    layout.message.textContent = text;
    layout.message.hidden = false;
  };
  if (!fileUrl) {
    showMessage(t.missingFile);
    return;
  }
  document.title = `${decodeURIComponent(fileUrl.split('/').pop() ?? '')} – Randnoter`;
  showMessage(t.loading);

  let loaded: Awaited<ReturnType<typeof openPdf>>;
  try {
    loaded = await openPdf(await fetchPdfBytes(fileUrl));
  } catch (error) {
    showMessage(t.loadFailed(error instanceof Error ? error.message : String(error)));
    return;
  }
  layout.message.hidden = true;
  const { pdf, fingerprint } = loaded;
  const view = createPdfView(layout.container, pdf);
  layout.pageCount.textContent = `/ ${pdf.numPages}`;
  layout.pageInput.max = String(pdf.numPages);
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
  void renderContents(layout.contents, pdf, view);

  // The document: local first, then the server when signed in.
  const doc = new Y.Doc();
  const signedIn = Boolean(settings.serverUrl && settings.token);
  const identity = { serverUrl: settings.serverUrl, token: settings.token };
  let author: Author | null = settings.displayName ? { id: 'me', name: settings.displayName } : null;
  let room: RoomConnection | null = null;
  renderStatus(layout.status, t, { connection: signedIn ? 'connecting' : 'signed-out', unsaved: 0, refused: null });

  const packetTextReady: Promise<PacketText> = extractPacketText(pdf);
  let packetText: PacketText | null = null;

  const overview = createOverview(
    layout.overview,
    t,
    {
      select: (id) => focusAnnotation(id, true),
      edit: (id) => void editNote(id),
      remove: (id) => patchAnnotation(doc, id, { deleted: true, body: '' }, new Date().toISOString()),
    },
    settings.language,
  );

  let focusedId: string | null = null;
  let marks: Mark[] = [];

  const redraw = () => {
    if (!packetText) return;
    const text = packetText;
    const placed: Array<Placed<Card>> = [];
    marks = [];
    for (const annotation of liveAnnotations(doc)) {
      const anchor = anchorTarget(text, annotation.target);
      const page = anchor.page ?? annotation.target.page;
      placed.push({
        value: { annotation, status: anchor.status },
        page,
        offset: anchor.start,
        fallbackItem: annotation.target.agendaItem ?? null,
        fallbackAttachment: annotation.target.attachment ?? null,
      });
      if (anchor.start !== null && anchor.end > anchor.start) {
        marks.push({
          id: annotation.id,
          start: anchor.start,
          end: anchor.end,
          kind: annotation.kind,
          focused: annotation.id === focusedId,
        });
      }
    }
    overview.render('notes', groupByItem(placed));
    for (let n = 1; n <= pdf.numPages; n++) {
      const pageElement = view.pageElement(n);
      if (pageElement?.querySelector('.textLayer span')) drawPageHighlights(pageElement, n, marks, text);
    }
    if (focusedId) overview.focusCard(focusedId);
  };
  let redrawQueued = false;
  const scheduleRedraw = () => {
    if (redrawQueued) return;
    redrawQueued = true;
    requestAnimationFrame(() => {
      redrawQueued = false;
      redraw();
    });
  };
  annotationsOf(doc).observeDeep(scheduleRedraw);
  view.onTextLayer((n, pageElement) => {
    if (packetText) drawPageHighlights(pageElement, n, marks, packetText);
  });

  const focusAnnotation = (id: string, scrollDocument: boolean) => {
    focusedId = id;
    const mark = marks.find((m) => m.id === id);
    if (scrollDocument && mark && packetText) {
      const annotation = liveAnnotations(doc).find((a) => a.id === id);
      if (annotation) view.goToPage(anchorTarget(packetText, annotation.target).page ?? annotation.target.page);
    }
    redraw();
  };

  layout.container.addEventListener('click', (event) => {
    const pageElement = (event.target as Element).closest<HTMLElement>('.page');
    if (!pageElement || !document.getSelection()?.isCollapsed) return;
    const id = highlightAt(pageElement, event.clientX, event.clientY);
    if (id) focusAnnotation(id, false);
  });

  const editNote = async (id: string) => {
    const annotation = liveAnnotations(doc).find((a) => a.id === id);
    if (!annotation) return;
    overview.showTab('notes');
    const body = await openEditor(overview.editorHost('notes'), t, { quote: null, initial: annotation.body });
    if (body !== null) patchAnnotation(doc, id, { body }, new Date().toISOString());
  };

  // Selecting text offers "Tilføj note".
  const actions = createSelectionActions(
    t,
    {
      addNote: () => void addNoteFromSelection(),
      shareComment: () => void addNoteFromSelection(),
    },
    () => false,
  );
  document.body.append(actions.element);
  let selectionTimer = 0;
  document.addEventListener('selectionchange', () => {
    clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(() => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0 || !layout.container.contains(selection.anchorNode)) {
        actions.hide();
        return;
      }
      actions.show(selection.getRangeAt(0).getBoundingClientRect());
    }, 120);
  });

  const addNoteFromSelection = async () => {
    const selection = document.getSelection();
    const text = packetText ?? (await packetTextReady);
    if (!selection || selection.rangeCount === 0) return;
    const offsets = rangeToOffsets(selection.getRangeAt(0), layout.container.querySelectorAll('.page'), text);
    actions.hide();
    if (!offsets) return;
    const target = describeRange(text, offsets.start, offsets.end, { packetVersion: fingerprintUrn(fingerprint) });
    if (!target) return;
    selection.removeAllRanges();
    overview.showTab('notes');
    const quote = target.selectors?.[0]?.type === 'TextQuoteSelector' ? target.selectors[0].exact : null;
    const body = await openEditor(overview.editorHost('notes'), t, { quote, initial: '' });
    if (body === null) return;
    const id = crypto.randomUUID();
    insertAnnotation(
      doc,
      { id, kind: AnnotationKind.note, body, replyTo: null, target, color: null, tags: [] },
      author,
      new Date().toISOString(),
    );
    focusedId = id;
  };

  packetText = await packetTextReady;
  scheduleRedraw();

  if (!signedIn) return;
  let packetId = provisionalPacketId(fingerprint);
  try {
    const me = await fetchMe(identity);
    author = { id: me.id, name: settings.displayName || me.name };
    const registered = await registerPacket(identity, {
      fingerprint,
      url: fileUrl,
      title: ((await pdf.getMetadata().catch(() => null))?.info as { Title?: string } | undefined)?.Title ?? '',
      pageCount: pdf.numPages,
      outline: null,
    });
    packetId = registered.packetId;
  } catch {
    // Offline or refused: keep working locally under the provisional id; the status line tells why.
  }
  room = connectRoom({ serverUrl: settings.serverUrl, token: settings.token, room: providerRoomName({ kind: 'notes', packetId }), doc });
  room.onStatus((status) => renderStatus(layout.status, t, status));
  renderStatus(layout.status, t, room.status());
  window.addEventListener('pagehide', () => room?.destroy());
}

void main();
