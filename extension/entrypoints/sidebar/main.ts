/**
 * The sidebar on HTML agenda pages: the same annotator as the PDF viewer, running in an
 * extension-origin frame so the host page cannot read notes, tokens or this DOM. The page's
 * text arrives from the content script; the packet is identified by the page's normalised URL.
 */
import '../../styles/design.css';
import '../viewer/style.css';
import './style.css';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { browser } from 'wxt/browser';
import { runAnnotatorPage, type StartedAnnotator } from '../../annotator/annotator-page.ts';
import { runShortcut } from '../../annotator/run-shortcut.ts';
import { openSession } from '../../annotator/session.ts';
import { startAnnotator } from '../../annotator/start-annotator.ts';
import { agendaPageOf, rememberAgendaPage } from '../../html/agenda-page-memory.ts';
import { buildHtmlPacket } from '../../html/html-packet.ts';
import { askPage, createRemoteSurface } from '../../html/remote-surface.ts';
import { messages } from '../../i18n/messages.ts';
import { SIDEBAR_FRAME_PARAM } from '../../messaging/inplace-messages.ts';
import { loadSettings, type Settings } from '../../settings/settings.ts';
import { startInPlaceSidebar } from './in-place.ts';
import { mountSidebarPanes } from './panes.ts';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function main(): Promise<void> {
  // Beside a portal's pdf.js viewer in a frame of this tab, rather than an HTML agenda page.
  const viewerFrame = new URLSearchParams(location.search).get(SIDEBAR_FRAME_PARAM);
  if (viewerFrame !== null) return startInPlaceSidebar(Number(viewerFrame));
  const settings = await loadSettings();
  const panes = mountSidebarPanes();

  const tab = await browser.tabs.getCurrent();
  if (tab?.id === undefined) return;
  const tabId = tab.id;
  const info = await askPage(tabId, { type: 'rn:get-page' });
  const { text, outline, items } = buildHtmlPacket(info.items, info.blocks);
  // A packet PDF opened from this page may take its structure from it (html/linked-agenda.ts).
  const remembered = items.length > 0 ? agendaPageOf(info.url, info.blocks, items, new Date().toISOString()) : null;
  if (remembered) await rememberAgendaPage(browser.storage.local, remembered).catch(() => {});
  const url = normaliseUrl(info.url) ?? info.url;
  // An HTML page has no PDF fingerprint: its address names it, its text names the version.
  const fingerprint = await sha256Hex(url);
  const version = `urn:sha256:${await sha256Hex(text.text)}`;
  const meetingDate = detectMeetingDate(text.pages);
  const toggleSidebar = () => void askPage(tabId, { type: 'rn:toggle-sidebar' });

  /** Everything that depends on the settings: started now, and again when they change. */
  const start = async (current: Settings, restart: () => void): Promise<StartedAnnotator> => {
    const t = messages(current.language);
    panes.reset(t, current.language);
    const session = await openSession(current, {
      fingerprint,
      url: info.url,
      title: info.title,
      pageCount: outline.pages,
      outline,
      meetingDate,
    });
    const surface = createRemoteSurface(tabId, text);
    const annotator = await startAnnotator({
      t,
      settings: current,
      session,
      surface,
      outline,
      corrections: false,
      version,
      places: panes,
      showPages: false,
      title: info.title,
      meetingDate,
      pdf: null,
      // A group's room was rewritten (1012): its local copy is gone; start again from the server's.
      restart,
      goToPage: (page) => surface.reveal({ page, start: text.pageStarts[page - 1] ?? 0 }),
      // The inbox opens an HTML agenda page as it is (the sidebar starts there on an active site).
      openUrl: info.url,
    });
    panes.contents.hidden = !annotator.hasAgenda;
    surface.events.on('shortcut', (shortcut) => runShortcut(shortcut, annotator.controller, toggleSidebar));
    return { annotator, surface };
  };
  await runAnnotatorPage(settings, start, toggleSidebar);
}

void main();
