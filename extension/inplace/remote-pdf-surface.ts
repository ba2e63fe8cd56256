/**
 * A portal's pdf.js viewer seen from the sidebar frame: a DocumentSurface whose selection,
 * highlights and clicks travel over extension messaging to the in-place script of one frame of
 * the sidebar's own tab (messaging/inplace-messages.ts). Only highlight ids and offsets go there.
 */
import type { Region } from '@randnoter/shared/model/annotation';
import type { PacketText } from '@randnoter/shared/text/page-text';
import { ObservableV2 } from 'lib0/observable';
import { browser } from 'wxt/browser';
import { type InPlaceReply, type InPlaceRequest, isInPlaceEvent } from '../messaging/inplace-messages.ts';
import type { DocumentSurface, SurfaceEvents } from '../surface/document-surface.ts';
import type { Shortcut } from '../surface/shortcut-keys.ts';

type RemotePdfEvents = SurfaceEvents & {
  /** The user pressed a shortcut in the viewer (the in-place script forwards trusted keys only). */
  shortcut: (shortcut: Shortcut) => void;
  /** "Områdenote" went on or off in the viewer. */
  regionTool: (active: boolean) => void;
};

export interface RemotePdfSurface extends DocumentSurface {
  readonly events: ObservableV2<RemotePdfEvents>;
  /** Asks the viewer which page it shows now (currentPage() answers from the last answer, at once). */
  followCurrentPage(): Promise<number>;
  /** "Områdenote": the next drag on the viewer's pages draws a rectangle (or not). */
  setRegionTool(active: boolean): void;
}

export interface ViewerFrame {
  tabId: number;
  frameId: number;
}

export function askViewer<R extends InPlaceRequest>(to: ViewerFrame, request: R): Promise<InPlaceReply[R['type']]> {
  return browser.tabs.sendMessage(to.tabId, request, { frameId: to.frameId }) as Promise<InPlaceReply[R['type']]>;
}

/** A rectangle the viewer reported, checked: on a page of the packet, inside it, not empty. */
function checkedRegion(region: unknown, pages: number): Region | null {
  const r = region as Partial<Region> | null | undefined;
  const fraction = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  if (!r || !Number.isInteger(r.page) || (r.page as number) < 1 || (r.page as number) > pages) return null;
  if (!fraction(r.x) || !fraction(r.y) || !fraction(r.w) || !fraction(r.h) || r.w === 0 || r.h === 0) return null;
  return { page: r.page as number, x: r.x, y: r.y, w: Math.min(r.w, 1 - r.x), h: Math.min(r.h, 1 - r.y) };
}

export function createRemotePdfSurface(to: ViewerFrame, text: PacketText, version: string): RemotePdfSurface {
  const events = new ObservableV2<RemotePdfEvents>();
  let inUserShortcut = false;
  let page = 1;
  /** The viewer is scrolled only for the user: their shortcut, or their click or key in the sidebar. */
  const byUser = () => inUserShortcut || (navigator.userActivation?.isActive ?? true);
  const onMessage = (message: unknown, sender: { tab?: { id?: number }; frameId?: number }) => {
    // Only the viewer's own frame of this tab speaks for it.
    if (!isInPlaceEvent(message) || sender.tab?.id !== to.tabId || sender.frameId !== to.frameId) return undefined;
    if (message.type === 'rn:pdf-write') {
      const region = message.region === undefined ? null : checkedRegion(message.region, text.pages.length);
      if (message.region !== undefined && !region) return undefined;
      events.emit('write', [message.kind, region ? { page: region.page, packetVersion: version, region } : null]);
    } else if (message.type === 'rn:pdf-region-tool-state') events.emit('regionTool', [message.active === true]);
    else if (message.type === 'rn:pdf-mark-clicked') events.emit('markClicked', [message.id]);
    else if (message.type === 'rn:pdf-page') {
      if (Number.isInteger(message.page) && message.page >= 1 && message.page <= text.pages.length) page = message.page;
    } else {
      inUserShortcut = true;
      try {
        events.emit('shortcut', [message.shortcut]);
      } finally {
        inUserShortcut = false;
      }
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);
  const followCurrentPage = () =>
    askViewer(to, { type: 'rn:pdf-current-page' }).then(
      (n) => {
        if (Number.isInteger(n) && n >= 1 && n <= text.pages.length) page = n;
        return page;
      },
      () => page,
    );

  return {
    text,
    events,
    selection: () => askViewer(to, { type: 'rn:pdf-selection' }),
    clearSelection: () => void askViewer(to, { type: 'rn:pdf-clear-selection' }).catch(() => {}),
    showMarks: (marks) =>
      void askViewer(to, {
        type: 'rn:pdf-marks',
        marks: marks
          .filter((m) => m.region || m.end > m.start)
          .map(({ id, start, end, kind, focused, region }) => ({
            id,
            start,
            end,
            kind,
            ...(focused ? { focused } : {}),
            ...(region ? { region } : {}),
          })),
      }).catch(() => {}),
    reveal: (place) => {
      if (!byUser()) return;
      page = place.page;
      void askViewer(to, { type: 'rn:pdf-reveal', page: place.page, start: place.start }).catch(() => {});
    },
    currentPage: () => {
      void followCurrentPage();
      return page;
    },
    followCurrentPage,
    setRegionTool: (active) => void askViewer(to, { type: 'rn:pdf-region-tool', active }).catch(() => {}),
    setCanShare: (canShare) => void askViewer(to, { type: 'rn:pdf-can-share', canShare }).catch(() => {}),
    destroy: () => {
      browser.runtime.onMessage.removeListener(onMessage);
      events.destroy();
    },
  };
}
