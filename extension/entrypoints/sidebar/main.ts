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
import { createController } from '../../annotator/controller.ts';
import { trackPresence } from '../../annotator/presence.ts';
import { openSession } from '../../annotator/session.ts';
import { runShortcut } from '../../annotator/shortcuts.ts';
import { createContentsPane } from '../../components/contents-pane.ts';
import { renderStatus } from '../../components/status-line.ts';
import { buildHtmlPacket } from '../../html/html-packet.ts';
import { askPage, createRemoteSurface } from '../../html/remote-surface.ts';
import { messages } from '../../i18n/messages.ts';
import { loadSettings } from '../../settings/settings.ts';
import { openPrivateNotes } from '../../sync/private-notes.ts';
import { openSharedComments } from '../../sync/shared-comments.ts';
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
  const { text, outline } = buildHtmlPacket(info.items, info.blocks);
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
  const notes = await openPrivateNotes({
    identity: session.identity,
    namespace: session.namespace,
    packetId: session.packetId,
    signedIn: session.signedIn,
  });
  const shared =
    session.signedIn && session.groups.length > 0
      ? await openSharedComments({
          identity: session.identity,
          namespace: session.namespace,
          packetId: session.packetId,
          groups: session.groups,
          me: session.me,
          signedIn: true,
        })
      : null;
  const tabId = tab.id;
  const surface = createRemoteSurface(tabId, text);
  const contents =
    outline.items.length > 0
      ? createContentsPane(contentsRoot, t, (page) => surface.reveal({ page, start: text.pageStarts[page - 1] ?? 0 }))
      : null;
  contentsRoot.hidden = contents === null;
  const presence = trackPresence(shared, session, outline);
  const drawContents = () => contents?.render(outline, controller.model?.counts ?? new Map(), presence.readers(), presence.currentItem());
  const controller = createController({
    t,
    settings,
    overviewRoot,
    surface,
    outline,
    version,
    session,
    notes,
    shared,
    showPages: false,
    onModel: drawContents,
  });
  presence.onChange(drawContents);
  presence.moveTo(1);
  surface.onShortcut((shortcut) => runShortcut(shortcut, controller, () => void askPage(tabId, { type: 'rn:toggle-sidebar' })));

  const showStatus = () => {
    const connection = notes.connection?.status();
    renderStatus(status, t, {
      connection: session.signedIn ? (connection?.connection ?? 'offline') : 'signed-out',
      unsaved: (connection?.unsaved ?? 0) + (shared?.pendingCount() ?? 0),
      refused: connection?.refused ?? session.problem,
    });
  };
  notes.connection?.onStatus(showStatus);
  shared?.onChange(showStatus);
  showStatus();
  window.addEventListener('pagehide', () => {
    controller.destroy();
    presence.destroy();
    surface.destroy();
    shared?.destroy();
    notes.destroy();
  });
  document.body.dataset.ready = 'true';
}

void main();
