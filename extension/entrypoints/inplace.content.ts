/**
 * Randnoter in place on a meeting portal's own pdf.js viewer (docs/ARCHITECTURE.md, "In place on
 * a portal's viewer"). Registered for the active sites only, in every frame of them. In a frame
 * whose probe (pdfjs-probe.content.ts, the page's world) reports a pdf.js viewer, it reads the
 * document's text through the probe, draws highlights and the note buttons over the portal's own
 * pages (inplace/attach-viewer.ts) and asks the background to show the sidebar in the tab's top
 * frame; in the top frame it also hosts that sidebar (an extension page: notes and tokens stay
 * there). It never handles note text or tokens, and acts only on the user's trusted events.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { messages } from '../i18n/messages.ts';
import { type AttachedViewer, attachViewer, packetTextOf } from '../inplace/attach-viewer.ts';
import { askingOnce, componentDocument, fetchedPdfUrl, hasComponentViewer, startsAsPdf } from '../inplace/component-viewer.ts';
import { createProbeClient } from '../inplace/probe-client.ts';
import { readViewerDocument } from '../inplace/read-document.ts';
import { pdfElementsIn, replaceWithViewer } from '../inplace/replace-pdf-frames.ts';
import { mountSidebarFrame, type SidebarFrame } from '../inplace/sidebar-frame.ts';
import {
  IN_PLACE_SIDEBAR,
  type InPlaceDocument,
  type InPlaceEvent,
  type InPlaceFound,
  type InPlaceFoundReply,
  type InPlaceSidebarHandle,
  isHostSidebar,
  isInPlaceRequest,
  SIDEBAR_FRAME_PARAM,
} from '../messaging/inplace-messages.ts';
import { PAGE_SETTINGS_REQUEST, readPageSettings } from '../messaging/page-settings.ts';
import { readProbeInfo } from '../messaging/probe-messages.ts';

/** The running copy's context, kept in the extension's own world of the frame (see agenda.content.ts). */
const RUNNING = Symbol.for('randnoter.inplace');

/** The probe answers at once when it is there; a frame without one is not waited for. */
const INFO_TIMEOUT_MS = 2_000;

function readFoundReply(reply: unknown): InPlaceFoundReply | null {
  const { hosted, frameId } = (reply ?? {}) as Partial<InPlaceFoundReply>;
  return typeof hosted === 'boolean' && Number.isInteger(frameId) ? { hosted, frameId: frameId as number } : null;
}

export default defineContentScript({
  // Registered at run time for the active hosts only, in all frames (activation/page-scripts.ts).
  registration: 'runtime',
  runAt: 'document_idle',
  async main(ctx) {
    const world = globalThis as { [RUNNING]?: { isInvalid: boolean } };
    if (world[RUNNING] && !world[RUNNING].isInvalid) return;
    world[RUNNING] = ctx;
    const { language } = readPageSettings(await browser.runtime.sendMessage(PAGE_SETTINGS_REQUEST).catch(() => null));
    const t = messages(language);
    const probe = createProbeClient(window);
    let sidebar: SidebarFrame | null = null;
    let viewer: AttachedViewer | null = null;
    ctx.onInvalidated(() => {
      probe.destroy();
      viewer?.destroy();
      sidebar?.destroy();
      delete (globalThis as { [IN_PLACE_SIDEBAR]?: InPlaceSidebarHandle })[IN_PLACE_SIDEBAR];
    });

    const hostSidebar = (frameId: number) => {
      // A viewer that opened another document says so again: a fresh sidebar reads it.
      sidebar?.destroy();
      const url = new URL((browser.runtime.getURL as (path: string) => string)('/sidebar.html'));
      url.searchParams.set(SIDEBAR_FRAME_PARAM, String(frameId));
      const mounted = mountSidebarFrame(url.href, t.appName);
      sidebar = mounted;
      // The toolbar button and Alt+S reach the agenda script of this frame: it hands them to this sidebar.
      const handle: InPlaceSidebarHandle = { toggle: () => mounted.setOpen(!mounted.open), show: () => mounted.setOpen(true) };
      (globalThis as { [IN_PLACE_SIDEBAR]?: InPlaceSidebarHandle })[IN_PLACE_SIDEBAR] = handle;
    };
    const send = (event: InPlaceEvent) => void browser.runtime.sendMessage(event).catch(() => {});

    /** Whether an address the page fetched is a PDF (component viewers), asked once per address. */
    const isPdf = askingOnce((url) => startsAsPdf(url));
    /** A component viewer's document, waiting for the sidebar to send its text. */
    let pending: InPlaceDocument | null = null;
    const labels = { addNote: t.addNote, shareComment: t.shareComment };

    // Only the extension can message a content script; the host page cannot reach this listener.
    browser.runtime.onMessage.addListener((message: unknown) => {
      if (isHostSidebar(message) && window === window.top) {
        hostSidebar(message.frameId);
        return Promise.resolve(true);
      }
      if (!isInPlaceRequest(message)) return undefined;
      if (viewer) return Promise.resolve(viewer.handle(message));
      if (!pending) return undefined;
      if (message.type === 'rn:pdf-document') return Promise.resolve(pending);
      if (message.type === 'rn:pdf-text') {
        viewer = attachViewer({ ...pending, rotations: message.rotations }, message.text, labels, ctx, send);
        return Promise.resolve(true);
      }
      return undefined;
    });

    /** Asks the background to show the sidebar for this frame's viewer. */
    const announce = async () => {
      const found: InPlaceFound = { type: 'rn:pdf-found' };
      const reply = readFoundReply(await browser.runtime.sendMessage(found).catch(() => null));
      // No script in the top frame to host it (its site is not active): the sidebar goes beside the viewer.
      if (reply && !reply.hosted) hostSidebar(reply.frameId);
    };

    let starting = false;
    let again = false;
    const start = async () => {
      if (viewer || pending) return;
      if (starting) {
        again = true;
        return;
      }
      starting = true;
      try {
        const info = readProbeInfo(await probe.ask({ ask: 'info' }, INFO_TIMEOUT_MS));
        if (ctx.isInvalid || pending) return;
        if (!info) {
          // No application object: a component viewer, once it shows pages, found by the file it fetched.
          const url = hasComponentViewer(document) ? await fetchedPdfUrl(performance.getEntriesByType('resource'), isPdf) : null;
          if (!url || ctx.isInvalid || pending) return;
          pending = componentDocument(url, document.title);
          await announce();
          return;
        }
        const doc = await readViewerDocument(probe, info);
        if (ctx.isInvalid) return;
        viewer = attachViewer(doc, packetTextOf(doc), labels, ctx, send);
        shown = doc.fingerprint;
        await announce();
      } finally {
        starting = false;
        if (again && !viewer) {
          again = false;
          void start();
        }
      }
    };
    // A PDF in a frame or <embed> shown by the browser's own viewer: Randnoter's viewer in its place.
    const replaced = new WeakSet<Element>();
    const undo: Array<() => void> = [];
    const replacePdfElements = () => {
      for (const { element, url } of pdfElementsIn(document, replaced)) {
        replaced.add(element);
        const viewerUrl = `${(browser.runtime.getURL as (path: string) => string)('/framed-viewer.html')}?file=${encodeURIComponent(url)}`;
        undo.push(replaceWithViewer(element, viewerUrl, t.appName));
      }
    };
    replacePdfElements();
    // Portals add their document frames late (a click on an attachment), and viewers their pages:
    // look again when the page changes.
    let looking = 0;
    const elementsAdded = new MutationObserver(() => {
      if (looking === 0)
        looking = window.setTimeout(() => {
          looking = 0;
          replacePdfElements();
          // A component viewer (no application object) is known once its pages show text.
          if (!viewer && !pending && hasComponentViewer(document)) void start();
        }, 200);
    });
    elementsAdded.observe(document.documentElement, { childList: true, subtree: true });
    ctx.onInvalidated(() => {
      elementsAdded.disconnect();
      clearTimeout(looking);
      for (const u of undo) u();
    });

    /** The portal's viewer opened another document: the overlay starts again on it. */
    let shown: string | null = null;
    const followDocument = async () => {
      const info = readProbeInfo(await probe.ask({ ask: 'info' }, INFO_TIMEOUT_MS));
      if (!info || !viewer || info.fingerprint === shown) return;
      viewer.destroy();
      viewer = null;
      await start();
    };
    probe.events.on('viewer', (event) => {
      if (event !== 'ready') viewer?.redraw();
      else if (viewer && shown !== null) void followDocument();
      else void start();
    });
    void start();
  },
});
