/**
 * The one vocabulary of the in-place overlay on a portal's pdf.js viewer, over the extension's
 * own messaging (which the host page can neither read nor forge): the in-place script in the
 * viewer's frame (entrypoints/inplace.content.ts), the sidebar frame that drives it (an extension
 * page in the tab's top frame) and the background, which tells the top frame to show the sidebar
 * for a viewer found in one of its frames. Note text and tokens never travel here: the frame gets
 * highlight ids and offsets only.
 */
import type { Region } from '@randnoter/shared/model/annotation';
import type { PacketText, TextItemLike } from '@randnoter/shared/text/page-text';
import type { Shortcut } from '../surface/shortcut-keys.ts';
import type { ProbeOutlineEntry, QuarterTurn, ViewerKind } from './probe-messages.ts';
import type { MarkMessage } from './sidebar-messages.ts';

/**
 * The viewer's document as the in-place script read it through the probe (checked). A component
 * viewer without pdf.js's application object has no probe to ask: it gives the PDF's address
 * only (fingerprint empty, no pages), and the sidebar opens the file itself and sends the text.
 */
export interface InPlaceDocument {
  kind: ViewerKind;
  fingerprint: string;
  url: string;
  title: string;
  /** Each page's text items, page 1 first. */
  pages: TextItemLike[][];
  /** Each page's own rotation (/Rotate), page 1 first; empty while not known (a component viewer's, until the sidebar reads it). */
  rotations: QuarterTurn[];
  outline: ProbeOutlineEntry[];
}

/** A highlight: ids and offsets, or a rectangle on a page (fractions of the page). */
export type InPlaceMark = MarkMessage & { region?: { page: number; x: number; y: number; w: number; h: number } };

/** Sidebar → the in-place script of one frame (tabs.sendMessage with that frameId); each has a reply. */
export type InPlaceRequest =
  | { type: 'rn:pdf-document' }
  | { type: 'rn:pdf-selection' }
  | { type: 'rn:pdf-clear-selection' }
  | { type: 'rn:pdf-marks'; marks: InPlaceMark[] }
  /** Show this page, and the words at `start` (a packet offset) once its text layer is drawn. */
  | { type: 'rn:pdf-reveal'; page: number; start: number | null }
  | { type: 'rn:pdf-can-share'; canShare: boolean }
  /** "Områdenote": the drawing layer on (the next drag draws a rectangle) or off. */
  | { type: 'rn:pdf-region-tool'; active: boolean }
  | { type: 'rn:pdf-current-page' }
  /** A component viewer's text and page rotations, read by the sidebar from the file itself. */
  | { type: 'rn:pdf-text'; text: PacketText; rotations: QuarterTurn[] };

export type InPlaceReply = {
  'rn:pdf-document': InPlaceDocument | null;
  'rn:pdf-selection': { start: number; end: number } | null;
  'rn:pdf-clear-selection': true;
  'rn:pdf-marks': true;
  'rn:pdf-reveal': true;
  'rn:pdf-can-share': true;
  'rn:pdf-region-tool': true;
  'rn:pdf-current-page': number;
  'rn:pdf-text': true;
};

/** The in-place script → its sidebar (runtime.sendMessage): what the user did in the viewer. */
export type InPlaceEvent =
  /** Annotate the selection, or the rectangle just drawn (`region`, in fractions of its page as Randnoter's viewer shows it). */
  | { type: 'rn:pdf-write'; kind: 'note' | 'comment'; region?: Region }
  /** The region tool went on or off in the viewer (off by itself after a rectangle, or by Escape). */
  | { type: 'rn:pdf-region-tool-state'; active: boolean }
  | { type: 'rn:pdf-mark-clicked'; id: string }
  | { type: 'rn:pdf-shortcut'; shortcut: Shortcut }
  /** The page the viewer shows changed (the user scrolled): for a page note or "Ret indhold" on the page shown. */
  | { type: 'rn:pdf-page'; page: number };

/** The in-place script → the background: a viewer is ready in this frame; show its sidebar in the top frame. */
export interface InPlaceFound {
  type: 'rn:pdf-found';
}
/** The background's answer: whether the top frame took the sidebar, and the sender's frame id. */
export interface InPlaceFoundReply {
  hosted: boolean;
  frameId: number;
}

/** The background → the top frame's in-place script: show the sidebar for the viewer in this frame. */
export interface HostSidebar {
  type: 'rn:pdf-host-sidebar';
  frameId: number;
}

const REQUESTS = new Set<string>([
  'rn:pdf-document',
  'rn:pdf-selection',
  'rn:pdf-clear-selection',
  'rn:pdf-marks',
  'rn:pdf-reveal',
  'rn:pdf-can-share',
  'rn:pdf-region-tool',
  'rn:pdf-current-page',
  'rn:pdf-text',
]);
const EVENTS = new Set<string>(['rn:pdf-write', 'rn:pdf-mark-clicked', 'rn:pdf-shortcut', 'rn:pdf-page', 'rn:pdf-region-tool-state']);

const typeOf = (message: unknown): string =>
  typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
    ? (message as { type: string }).type
    : '';

export const isInPlaceRequest = (message: unknown): message is InPlaceRequest => REQUESTS.has(typeOf(message));
export const isInPlaceEvent = (message: unknown): message is InPlaceEvent => EVENTS.has(typeOf(message));
export const isInPlaceFound = (message: unknown): message is InPlaceFound => typeOf(message) === 'rn:pdf-found';
export const isHostSidebar = (message: unknown): message is HostSidebar =>
  typeOf(message) === 'rn:pdf-host-sidebar' && Number.isInteger((message as { frameId?: unknown }).frameId);

/**
 * The in-place sidebar hosted in a top frame, as the agenda script of the same frame sees it
 * (an extension's content scripts share their world in a frame): the toolbar button and Alt+S
 * show and hide this sidebar rather than open the HTML agenda's.
 */
export const IN_PLACE_SIDEBAR = Symbol.for('randnoter.inplace-sidebar');
export interface InPlaceSidebarHandle {
  toggle(): void;
  show(): void;
}

/** The sidebar's address for the viewer in a frame of its tab. */
export const SIDEBAR_FRAME_PARAM = 'pdf-frame';
