/**
 * HTML agenda pages: adds the Randnoter sidebar (an extension-origin frame) and highlights, maps
 * the user's selections to text offsets, and answers the sidebar's requests. It never handles
 * note text or tokens: those stay in the sidebar frame, out of the host page's reach.
 *
 * The host page may be hostile (docs/SECURITY.md, "A malicious host page"): every listener here
 * acts only on trusted events (what the user did, not what the page's script dispatched), and the
 * script reads no settings but the language, which it asks the background for.
 */
import { detectHtmlAgenda } from '@randnoter/shared/agenda/detect-html-agenda';
import { buildPageText, itemPositionToOffset, type PageText } from '@randnoter/shared/text/page-text';
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { agendaBlocks, agendaElements } from '../html/agenda-blocks.ts';
import { collectDomText, type DomText, domPointToItem } from '../html/dom-text.ts';
import { createPageOverlay, type PageOverlay } from '../html/page-overlay.ts';
import { fromUser } from '../html/user-events.ts';
import { messages } from '../i18n/messages.ts';
import { IN_PLACE_SIDEBAR, type InPlaceSidebarHandle } from '../messaging/inplace-messages.ts';
import { PAGE_SETTINGS_REQUEST, readPageSettings } from '../messaging/page-settings.ts';
import {
  isPageRequest,
  type PageBlock,
  type PageEvent,
  type PageInfo,
  type PageReply,
  type PageRequest,
} from '../messaging/sidebar-messages.ts';
import { shortcutOf } from '../surface/shortcut-keys.ts';

/**
 * The running copy's context, kept in the extension's own world of the page: the toolbar button may
 * start a second copy while the registered one is still starting (a copy left by an updated
 * extension is invalid and gives way).
 */
const RUNNING = Symbol.for('randnoter.agenda');

export default defineContentScript({
  // Registered at run time for the active hosts only (activation/page-scripts.ts), never in the manifest.
  registration: 'runtime',
  runAt: 'document_idle',
  async main(ctx) {
    const world = globalThis as { [RUNNING]?: { isInvalid: boolean } };
    if (world[RUNNING] && !world[RUNNING].isInvalid) return;
    world[RUNNING] = ctx;
    const isHtml = document.contentType === 'text/html' || document.contentType === 'application/xhtml+xml';
    let overlay: PageOverlay | null = null;
    let canShare = false;
    // The page's text is read when Randnoter is first used on it, not on every page visited.
    let model: { dom: DomText; page: PageText } | null = null;
    const text = () => {
      if (!model) {
        const dom = collectDomText(document.body);
        model = { dom, page: buildPageText(1, dom.items) };
      }
      return model;
    };
    const { language } = readPageSettings(await browser.runtime.sendMessage(PAGE_SETTINGS_REQUEST).catch(() => null));
    const t = messages(language);

    const send = (event: PageEvent) => void browser.runtime.sendMessage(event).catch(() => {});

    const offsetsOfSelection = (): { start: number; end: number } | null => {
      const selection = document.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
      const { dom, page } = text();
      const range = selection.getRangeAt(0);
      const from = domPointToItem(dom, range.startContainer, range.startOffset, false);
      const to = domPointToItem(dom, range.endContainer, range.endOffset, true);
      if (!from || !to) return null;
      const start = itemPositionToOffset(page, from.itemIndex, from.rawIndex);
      const end = itemPositionToOffset(page, to.itemIndex, to.rawIndex);
      return end > start ? { start, end } : null;
    };

    const pageInfo = (): PageInfo => {
      const { dom } = text();
      const firstText = new Map<Node, number>(dom.nodes.map((node, i) => [node, i]));
      const itemIndexOf = (el: Element) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const index = firstText.get(node);
          if (index !== undefined) return index;
        }
        return -1;
      };
      const elements = agendaElements(document);
      const blocks: PageBlock[] = agendaBlocks(elements).map((block, i) => ({ ...block, itemIndex: itemIndexOf(elements[i] as Element) }));
      return { url: location.href, title: document.title, lang: document.documentElement.lang, items: dom.items, blocks };
    };

    const mount = (): PageOverlay => {
      if (overlay) return overlay;
      const { dom, page } = text();
      overlay = createPageOverlay((browser.runtime.getURL as (path: string) => string)('/sidebar.html'), dom, page, {
        addNote: t.addNote,
        shareComment: t.shareComment,
        sidebar: t.appName,
      });
      overlay.events.on('action', (kind) => {
        overlay?.showActions(null, canShare);
        send({ type: 'rn:write', kind });
      });
      return overlay;
    };

    /** The note buttons at the user's selection (a selection a script made gets none). */
    const showActionsAtSelection = () => {
      if (!overlay?.sidebarOpen) return;
      const selection = document.getSelection();
      const has = !!selection && !selection.isCollapsed && offsetsOfSelection() !== null;
      overlay.showActions(has && selection ? selection.getRangeAt(0).getBoundingClientRect() : null, canShare);
      send({ type: 'rn:selection-changed', hasSelection: has });
    };
    // A selection ends with the user's mouse-up or key-up (Shift+arrows). selectionchange comes
    // from the browser also when the page's script selects, so it may only take the buttons away.
    ctx.addEventListener(document, 'mouseup', fromUser(showActionsAtSelection));
    ctx.addEventListener(document, 'keyup', fromUser(showActionsAtSelection));
    ctx.addEventListener(document, 'selectionchange', () => {
      if (document.getSelection()?.isCollapsed !== false) overlay?.showActions(null, canShare);
    });
    ctx.addEventListener(
      document,
      'click',
      fromUser((event: MouseEvent) => {
        if (!overlay?.sidebarOpen || !document.getSelection()?.isCollapsed) return;
        const id = overlay.markAt(event.clientX, event.clientY);
        if (id) send({ type: 'rn:mark-clicked', id });
      }),
    );
    ctx.addEventListener(
      document,
      'keydown',
      fromUser((event: KeyboardEvent) => {
        const shortcut = shortcutOf(event);
        if (!shortcut || !overlay) return;
        event.preventDefault();
        if (shortcut === 'toggle-sidebar') overlay.setSidebarOpen(!overlay.sidebarOpen);
        else send({ type: 'rn:shortcut', shortcut });
      }),
    );

    /** The sidebar beside a portal's pdf.js viewer, when this frame hosts one (entrypoints/inplace.content.ts). */
    const inPlaceSidebar = () => (globalThis as { [IN_PLACE_SIDEBAR]?: InPlaceSidebarHandle })[IN_PLACE_SIDEBAR];
    const handle = (request: PageRequest): PageReply[PageRequest['type']] => {
      switch (request.type) {
        case 'rn:toggle-sidebar': {
          const inPlace = inPlaceSidebar();
          if (inPlace && !overlay) {
            inPlace.toggle();
            return true;
          }
          if (!isHtml) return false;
          const o = mount();
          o.setSidebarOpen(!o.sidebarOpen);
          return true;
        }
        case 'rn:show-sidebar':
          if (inPlaceSidebar() && !overlay) {
            inPlaceSidebar()?.show();
            return true;
          }
          if (!isHtml) return false;
          mount().setSidebarOpen(true);
          return true;
        case 'rn:get-page':
          return pageInfo();
        case 'rn:get-selection':
          return offsetsOfSelection();
        case 'rn:clear-selection':
          document.getSelection()?.removeAllRanges();
          overlay?.showActions(null, canShare);
          return true;
        case 'rn:show-marks':
          overlay?.drawMarks(request.marks);
          return true;
        case 'rn:reveal':
          overlay
            ?.rangeOf(request.start, request.start)
            ?.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
          return true;
        case 'rn:set-can-share':
          canShare = request.canShare;
          return true;
      }
    };
    // Only the extension can message a content script; the host page cannot reach this listener.
    browser.runtime.onMessage.addListener((message: unknown) => {
      if (!isPageRequest(message)) return undefined;
      return Promise.resolve(handle(message));
    });
    ctx.onInvalidated(() => overlay?.destroy());

    // A page that reads as an agenda gets the sidebar at once.
    if (isHtml) {
      if (detectHtmlAgenda(agendaBlocks(agendaElements(document))).length > 0) mount().setSidebarOpen(true);
    }
  },
});
