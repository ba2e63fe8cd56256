/**
 * The host page of an HTML agenda, seen from the sidebar frame: a DocumentSurface whose
 * selection, highlights and clicks travel over extension messaging to the content script of
 * the sidebar's own tab (top frame only).
 */
import type { PacketText } from '@randnoter/shared/text/page-text';
import { ObservableV2 } from 'lib0/observable';
import { browser } from 'wxt/browser';
import { isPageEvent, type PageEvent, type PageReply, type PageRequest } from '../messaging/sidebar-messages.ts';
import type { DocumentSurface, SurfaceEvents } from '../surface/document-surface.ts';
import type { Shortcut } from '../surface/shortcut-keys.ts';
import { paletteColour } from '../utils/note-colours.ts';

type RemoteSurfaceEvents = SurfaceEvents & {
  /** The user pressed a shortcut on the page (the content script forwards trusted keys only). */
  shortcut: (shortcut: Shortcut) => void;
};

export interface RemoteSurface extends DocumentSurface {
  readonly events: ObservableV2<RemoteSurfaceEvents>;
}

export function askPage<R extends PageRequest>(tabId: number, request: R): Promise<PageReply[R['type']]> {
  return browser.tabs.sendMessage(tabId, request, { frameId: 0 }) as Promise<PageReply[R['type']]>;
}

export function createRemoteSurface(tabId: number, text: PacketText): RemoteSurface {
  const events = new ObservableV2<RemoteSurfaceEvents>();
  /** True while a shortcut the user pressed on the page is being handled (the content script forwards trusted keys only). */
  let inUserShortcut = false;
  /**
   * The host page is scrolled only for the user: their shortcut, or their click or key in this
   * frame (which gives it transient user activation; the page's script cannot give it that).
   */
  const byUser = () => inUserShortcut || (navigator.userActivation?.isActive ?? true);
  const onMessage = (message: unknown, sender: { tab?: { id?: number }; frameId?: number }) => {
    // Messages from other tabs, or from frames inside the page, are not ours to act on.
    if (!isPageEvent(message) || sender.tab?.id !== tabId || sender.frameId !== 0) return undefined;
    const event: PageEvent = message;
    if (event.type === 'rn:write') events.emit('write', [event.kind, null]);
    else if (event.type === 'rn:mark-clicked') events.emit('markClicked', [event.id]);
    else if (event.type === 'rn:shortcut') {
      inUserShortcut = true;
      try {
        events.emit('shortcut', [event.shortcut]);
      } finally {
        inUserShortcut = false;
      }
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  return {
    text,
    events,
    selection: () => askPage(tabId, { type: 'rn:get-selection' }),
    clearSelection: () => void askPage(tabId, { type: 'rn:clear-selection' }),
    showMarks: (marks) =>
      void askPage(tabId, {
        type: 'rn:show-marks',
        marks: marks
          .filter((m) => m.end > m.start)
          .map(({ id, start, end, kind, color, focused }) => {
            const hex = paletteColour(color);
            return { id, start, end, kind, ...(hex ? { color: hex } : {}), ...(focused ? { focused } : {}) };
          }),
      }),
    reveal: ({ start }) => void (start !== null && byUser() && askPage(tabId, { type: 'rn:reveal', start })),
    currentPage: () => 1,
    setCanShare: (canShare) => void askPage(tabId, { type: 'rn:set-can-share', canShare }),
    destroy: () => {
      browser.runtime.onMessage.removeListener(onMessage);
      events.destroy();
    },
  };
}
