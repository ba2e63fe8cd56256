/**
 * The host page of an HTML agenda, seen from the sidebar frame: a DocumentSurface whose
 * selection, highlights and clicks travel over extension messaging to the content script of
 * the sidebar's own tab (top frame only).
 */
import type { PacketText } from '@randnoter/shared/anchoring/page-text';
import type { Target } from '@randnoter/shared/model/annotation';
import { browser } from 'wxt/browser';
import { isPageEvent, type PageEvent, type PageReply, type PageRequest } from '../messaging/sidebar-messages.ts';
import type { DocumentSurface, WriteKind } from '../surface/document-surface.ts';
import type { Shortcut } from '../surface/shortcut-keys.ts';

export interface RemoteSurface extends DocumentSurface {
  onShortcut(listener: (shortcut: Shortcut) => void): () => void;
}

export function askPage<R extends PageRequest>(tabId: number, request: R): Promise<PageReply[R['type']]> {
  return browser.tabs.sendMessage(tabId, request, { frameId: 0 }) as Promise<PageReply[R['type']]>;
}

export function createRemoteSurface(tabId: number, text: PacketText): RemoteSurface {
  const writeListeners = new Set<(kind: WriteKind, target: Target | null) => void>();
  const clickListeners = new Set<(id: string) => void>();
  const shortcutListeners = new Set<(shortcut: Shortcut) => void>();
  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
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
    if (event.type === 'rn:write') for (const l of writeListeners) l(event.kind, null);
    else if (event.type === 'rn:mark-clicked') for (const l of clickListeners) l(event.id);
    else if (event.type === 'rn:shortcut') {
      inUserShortcut = true;
      try {
        for (const l of shortcutListeners) l(event.shortcut);
      } finally {
        inUserShortcut = false;
      }
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  return {
    text,
    selection: () => askPage(tabId, { type: 'rn:get-selection' }),
    clearSelection: () => void askPage(tabId, { type: 'rn:clear-selection' }),
    showMarks: (marks) =>
      void askPage(tabId, {
        type: 'rn:show-marks',
        marks: marks
          .filter((m) => m.end > m.start)
          .map(({ id, start, end, kind, focused }) => ({ id, start, end, kind, ...(focused ? { focused } : {}) })),
      }),
    reveal: ({ start }) => void (start !== null && byUser() && askPage(tabId, { type: 'rn:reveal', start })),
    currentPage: () => 1,
    setCanShare: (canShare) => void askPage(tabId, { type: 'rn:set-can-share', canShare }),
    onWrite: (listener) => subscribe(writeListeners, listener),
    onMarkClicked: (listener) => subscribe(clickListeners, listener),
    onRendered: () => () => {},
    onShortcut: (listener) => subscribe(shortcutListeners, listener),
    destroy: () => browser.runtime.onMessage.removeListener(onMessage),
  };
}
