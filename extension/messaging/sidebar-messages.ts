/**
 * The one vocabulary between the content script on an HTML agenda page and the Randnoter sidebar
 * frame (an extension page), plus the background's toggle. These travel over the extension's
 * own messaging (runtime/tabs), which the host page can neither read nor forge; the sidebar only
 * accepts page messages from its own tab's top frame.
 */
import type { AgendaBlock } from '@randnoter/shared/agenda/detect-html-agenda';
import type { TextItemLike } from '@randnoter/shared/text/page-text';
import type { Shortcut } from '../surface/shortcut-keys.ts';

/** A heading or link of the page, with the index of its first text node (-1 when it has none). */
export type PageBlock = AgendaBlock & { itemIndex: number };

export interface MarkMessage {
  id: string;
  start: number;
  end: number;
  kind: string;
  /** A palette colour (utils/note-colours.ts); the page draws nothing else. */
  color?: string;
  focused?: boolean;
}

/** Content script → sidebar (runtime.sendMessage). */
export type PageEvent =
  | { type: 'rn:selection-changed'; hasSelection: boolean }
  | { type: 'rn:write'; kind: 'note' | 'comment' }
  | { type: 'rn:mark-clicked'; id: string }
  | { type: 'rn:shortcut'; shortcut: Shortcut }
  | { type: 'rn:page-changed' };

/** Sidebar or background → content script (tabs.sendMessage to the top frame); each has a reply. */
export type PageRequest =
  | { type: 'rn:get-page' }
  | { type: 'rn:get-selection' }
  | { type: 'rn:clear-selection' }
  | { type: 'rn:show-marks'; marks: MarkMessage[] }
  | { type: 'rn:reveal'; start: number }
  | { type: 'rn:set-can-share'; canShare: boolean }
  | { type: 'rn:toggle-sidebar' }
  | { type: 'rn:show-sidebar' };

export interface PageInfo {
  url: string;
  title: string;
  lang: string;
  items: TextItemLike[];
  /** Headings and links in document order, for agenda detection. */
  blocks: PageBlock[];
}

export type PageReply = {
  'rn:get-page': PageInfo;
  'rn:get-selection': { start: number; end: number } | null;
  'rn:clear-selection': true;
  'rn:show-marks': true;
  'rn:reveal': true;
  'rn:set-can-share': true;
  /** Whether the page took the toggle (false: not an HTML page, e.g. a PDF: open the viewer). */
  'rn:toggle-sidebar': boolean;
  /** The same, showing it (a page script just started by the toolbar button may have shown it already). */
  'rn:show-sidebar': boolean;
};

const TYPES = new Set(['rn:selection-changed', 'rn:write', 'rn:mark-clicked', 'rn:shortcut', 'rn:page-changed']);
const REQUESTS = new Set([
  'rn:get-page',
  'rn:get-selection',
  'rn:clear-selection',
  'rn:show-marks',
  'rn:reveal',
  'rn:set-can-share',
  'rn:toggle-sidebar',
  'rn:show-sidebar',
]);

export function isPageEvent(message: unknown): message is PageEvent {
  return typeof message === 'object' && message !== null && TYPES.has((message as { type?: string }).type ?? '');
}

export function isPageRequest(message: unknown): message is PageRequest {
  return typeof message === 'object' && message !== null && REQUESTS.has((message as { type?: string }).type ?? '');
}
