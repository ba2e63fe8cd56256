/**
 * The sidebar on HTML agenda pages: the same annotator as the PDF viewer, running in an
 * extension-origin frame so the host page cannot read notes, tokens or this DOM. The page's
 * text arrives from the content script; the packet is identified by the page's normalised URL.
 */
import '../viewer/style.css';
import './style.css';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { browser } from 'wxt/browser';
import { runShortcut } from '../../annotator/run-shortcut.ts';
import { openSession } from '../../annotator/session.ts';
import { startAnnotator } from '../../annotator/start-annotator.ts';
import { agendaPageOf, rememberAgendaPage } from '../../html/agenda-page-memory.ts';
import { buildHtmlPacket } from '../../html/html-packet.ts';
import { askPage, createRemoteSurface } from '../../html/remote-surface.ts';
import { messages } from '../../i18n/messages.ts';
import { loadSettings } from '../../settings/settings.ts';
import { shortcutOf } from '../../surface/shortcut-keys.ts';
import { h } from '../../utils/dom.ts';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function main(): Promise<void> {
  const settings = await loadSettings();
  const t = messages(settings.language);
  document.documentElement.lang = settings.language;
  const contentsRoot = h('nav', { class: 'rn-contents rn-sidebar-contents', 'aria-label': t.contents });
  const overviewRoot = h('aside', { class: 'rn-overview', 'aria-label': t.overview });
  const status = h('p', { class: 'rn-status', role: 'status', 'aria-live': 'polite' });
  (document.getElementById('app') as HTMLElement).replaceChildren(contentsRoot, overviewRoot, h('footer', { class: 'rn-footer' }, status));

  const tab = await browser.tabs.getCurrent();
  if (tab?.id === undefined) return;
  const info = await askPage(tab.id, { type: 'rn:get-page' });
  const { text, outline, items } = buildHtmlPacket(info.items, info.blocks);
  // A packet PDF opened from this page may take its structure from it (html/linked-agenda.ts).
  const remembered = items.length > 0 ? agendaPageOf(info.url, info.blocks, items, new Date().toISOString()) : null;
  if (remembered) await rememberAgendaPage(browser.storage.local, remembered).catch(() => {});
  const url = normaliseUrl(info.url) ?? info.url;
  // An HTML page has no PDF fingerprint: its address names it, its text names the version.
  const fingerprint = await sha256Hex(url);
  const version = `urn:sha256:${await sha256Hex(text.text)}`;

  const session = await openSession(settings, {
    fingerprint,
    url: info.url,
    title: info.title,
    pageCount: outline.pages,
    outline,
    meetingDate: detectMeetingDate(text.pages),
  });
  const tabId = tab.id;
  const surface = createRemoteSurface(tabId, text);
  const annotator = await startAnnotator({
    t,
    settings,
    session,
    surface,
    outline,
    corrections: false,
    version,
    places: { overview: overviewRoot, contents: contentsRoot, status },
    showPages: false,
    title: info.title,
    pdf: null,
    goToPage: (page) => surface.reveal({ page, start: text.pageStarts[page - 1] ?? 0 }),
  });
  contentsRoot.hidden = !annotator.hasAgenda;
  const toggleSidebar = () => void askPage(tabId, { type: 'rn:toggle-sidebar' });
  surface.events.on('shortcut', (shortcut) => runShortcut(shortcut, annotator.controller, toggleSidebar));
  // The same keys while the keyboard focus is in this frame (a note focused by Alt+J is). Only
  // the user can send keys here: the host page cannot reach into an extension frame.
  document.addEventListener('keydown', (event) => {
    const shortcut = shortcutOf(event);
    if (!shortcut) return;
    event.preventDefault();
    runShortcut(shortcut, annotator.controller, toggleSidebar);
  });
  window.addEventListener('pagehide', () => {
    annotator.destroy();
    surface.destroy();
  });
  document.body.dataset.ready = 'true';
}

void main();
