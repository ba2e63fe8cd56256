/**
 * The sidebar beside a portal's own pdf.js viewer (entrypoints/inplace.content.ts): the same
 * annotator as Randnoter's viewer, on the same packet (named by the PDF's fingerprint, so notes
 * made in either viewer show in both), driving the portal's viewer in a frame of this tab by
 * extension messaging. The document's text comes from that frame's probe, read there and checked.
 */
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import { isGuessed } from '@randnoter/shared/agenda/outline';
import { readPdfOutline } from '@randnoter/shared/agenda/pdf-outline';
import { fingerprintUrn } from '@randnoter/shared/identity/packet-identity';
import { buildPacketText, buildPageText, type PacketText } from '@randnoter/shared/text/page-text';
import { browser } from 'wxt/browser';
import { runAnnotatorPage, type StartedAnnotator } from '../../annotator/annotator-page.ts';
import { runShortcut } from '../../annotator/run-shortcut.ts';
import { openSession } from '../../annotator/session.ts';
import { startAnnotator } from '../../annotator/start-annotator.ts';
import { icon } from '../../components/icons.ts';
import { agendaFromLinkingPage } from '../../html/linked-agenda.ts';
import { messages } from '../../i18n/messages.ts';
import { askViewer, createRemotePdfSurface, type ViewerFrame } from '../../inplace/remote-pdf-surface.ts';
import type { InPlaceDocument } from '../../messaging/inplace-messages.ts';
import { isQuarterTurn, type QuarterTurn } from '../../messaging/probe-messages.ts';
import { fetchPdfSource, openPdf } from '../../pdf/load-pdf.ts';
import { extractPacketText } from '../../pdf/packet-text.ts';
import { loadSettings, type Settings } from '../../settings/settings.ts';
import { h } from '../../utils/dom.ts';
import { mountSidebarPanes } from './panes.ts';

/**
 * The packet's text, fingerprint and bookmarks: from the viewer's probe (pdf.js's application
 * object), or for a component viewer from the file itself, opened here as Randnoter's viewer
 * opens it; its text and page rotations then go to the viewer's frame, to map selections and
 * draw highlights.
 */
async function readDocument(
  viewer: ViewerFrame,
  doc: InPlaceDocument,
): Promise<{ text: PacketText; fingerprint: string; bookmarks: InPlaceDocument['outline'] }> {
  if (doc.kind === 'application') {
    const text = buildPacketText(doc.pages.map((items, i) => buildPageText(i + 1, items)));
    return { text, fingerprint: doc.fingerprint, bookmarks: doc.outline };
  }
  const { pdf, fingerprint } = await openPdf(await fetchPdfSource(doc.url));
  const text = await extractPacketText(pdf);
  const bookmarks = await readPdfOutline(pdf);
  const rotations: QuarterTurn[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const { rotate } = await pdf.getPage(n);
    rotations.push(isQuarterTurn(rotate) ? rotate : 0);
  }
  await askViewer(viewer, { type: 'rn:pdf-text', text, rotations });
  return { text, fingerprint, bookmarks };
}

export async function startInPlaceSidebar(frameId: number): Promise<void> {
  const settings = await loadSettings();
  const panes = mountSidebarPanes();

  const tab = await browser.tabs.getCurrent();
  if (tab?.id === undefined || !Number.isInteger(frameId) || frameId < 0) return;
  const viewer: ViewerFrame = { tabId: tab.id, frameId };
  const doc = await askViewer(viewer, { type: 'rn:pdf-document' });
  if (!doc) return;
  const { text, fingerprint, bookmarks } = await readDocument(viewer, doc);
  // Alt+S: the top frame's agenda script shows and hides this sidebar (as the toolbar button does).
  const toggleSidebar = () => void browser.tabs.sendMessage(viewer.tabId, { type: 'rn:toggle-sidebar' }, { frameId: 0 }).catch(() => {});
  const outline = detectAgenda(text.pages, { outline: bookmarks });
  const meetingDate = detectMeetingDate(text.pages);
  const version = fingerprintUrn(fingerprint);
  const unsure = outline.items.length === 0 || isGuessed(outline);
  const fromPage = unsure && doc.url ? await agendaFromLinkingPage(browser.storage.local, doc.url, text.pages).catch(() => null) : null;

  const start = async (current: Settings, restart: () => void): Promise<StartedAnnotator> => {
    const t = messages(current.language);
    panes.reset(t, current.language);
    const session = await openSession(current, {
      fingerprint,
      url: doc.url,
      title: doc.title,
      pageCount: text.pages.length,
      outline,
      meetingDate,
    });
    const surface = createRemotePdfSurface(viewer, text, version);
    const annotator = await startAnnotator({
      t,
      settings: current,
      session,
      surface,
      outline,
      corrections: true,
      fromPage,
      version,
      places: panes,
      showPages: true,
      title: doc.title,
      meetingDate,
      // Where "Til mig" opens this packet again: the portal's page that shows it.
      openUrl: doc.url,
      // The portal's file is the portal's: the annotated packet is exported from Randnoter's own viewer.
      pdf: null,
      restart,
      goToPage: (page) => surface.reveal({ page, start: null }),
    });
    panes.contents.hidden = !annotator.hasAgenda;
    // A note on the page the portal's viewer shows: for scanned pages, which have no text to select.
    const pageNote = h('button', { type: 'button', class: 'rn-with-icon' }, icon('pageNote'), h('span', {}, t.pageNote));
    pageNote.title = t.pageNoteHint;
    pageNote.addEventListener('click', async () => {
      await surface.followCurrentPage();
      await annotator.controller.writePageNote('note');
    });
    // A rectangle on the page (a scan's figure, a signature): drawn over the portal's page.
    const regionNote = h(
      'button',
      { type: 'button', class: 'rn-with-icon', 'aria-pressed': 'false' },
      icon('region'),
      h('span', {}, t.regionNote),
    );
    regionNote.title = t.regionHint;
    regionNote.addEventListener('click', () => surface.setRegionTool(regionNote.getAttribute('aria-pressed') !== 'true'));
    surface.events.on('regionTool', (active) => regionNote.setAttribute('aria-pressed', String(active)));
    annotator.controller.overview.actionsHost.prepend(pageNote, regionNote);
    surface.events.on('shortcut', (shortcut) => runShortcut(shortcut, annotator.controller, toggleSidebar));
    return { annotator, surface };
  };
  await runAnnotatorPage(settings, start, toggleSidebar);
}
