/**
 * The one channel between the read-only probe in a pdf.js page's own JavaScript world
 * (entrypoints/pdfjs-probe.content.ts) and Randnoter's isolated world in the same frame. It
 * travels by `window.postMessage`, which the page can read and forge, so it carries only what the
 * page already has (page count, page text, page geometry, viewer events), never a note or a token,
 * and everything that arrives is checked here against these shapes and limits before use.
 */

/** Marks a message as this channel's (other scripts on the page post their own). */
export const PROBE_CHANNEL = 'randnoter-pdfjs-probe';

/** What the isolated world may ask the probe. */
export type ProbeQuestion =
  | { channel: typeof PROBE_CHANNEL; ask: 'info'; id: string }
  | { channel: typeof PROBE_CHANNEL; ask: 'page-text'; id: string; page: number }
  | { channel: typeof PROBE_CHANNEL; ask: 'outline'; id: string }
  /** Each page's own rotation (its /Rotate), page 1 first. */
  | { channel: typeof PROBE_CHANNEL; ask: 'rotations'; id: string };

/** Which viewer the probe found: pdf.js's application object, or its component viewer alone. */
export type ViewerKind = 'application' | 'components';

export interface ProbeInfo {
  kind: ViewerKind;
  /** pdf.js `fingerprints[0]`: names the packet across viewers. */
  fingerprint: string;
  pages: number;
  url: string;
  title: string;
}

/** One text item as pdf.js's getTextContent gives it (the fields the text model reads). */
export interface ProbeTextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

export interface ProbeOutlineEntry {
  title: string;
  page: number | null;
  children: ProbeOutlineEntry[];
}

/** Viewer events, named for what the overlay does with them. */
const PROBE_EVENTS = ['ready', 'text-layer', 'layout'] as const;
export type ProbeEventName = (typeof PROBE_EVENTS)[number];

export type ProbeMessage =
  | { channel: typeof PROBE_CHANNEL; answer: string; value: unknown }
  | { channel: typeof PROBE_CHANNEL; event: ProbeEventName; page?: number };

/** Limits on what the page may hand over: a real packet is far inside them. */
const LIMITS = {
  pages: 10_000,
  itemsPerPage: 50_000,
  itemChars: 20_000,
  fingerprintChars: 128,
  urlChars: 8_192,
  titleChars: 1_000,
  outlineEntries: 5_000,
  outlineDepth: 12,
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isPageNumber = (value: unknown, pages = LIMITS.pages): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= pages;
const shortString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

export function isProbeQuestion(data: unknown): data is ProbeQuestion {
  if (!isRecord(data) || data.channel !== PROBE_CHANNEL || typeof data.id !== 'string') return false;
  if (data.ask === 'info' || data.ask === 'outline' || data.ask === 'rotations') return true;
  return data.ask === 'page-text' && isPageNumber(data.page);
}

/** A message of this channel from the probe (an answer or an event), or null for anything else. */
export function readProbeMessage(data: unknown): ProbeMessage | null {
  if (!isRecord(data) || data.channel !== PROBE_CHANNEL) return null;
  if (typeof data.answer === 'string') return { channel: PROBE_CHANNEL, answer: data.answer, value: data.value };
  if (typeof data.event === 'string' && (PROBE_EVENTS as readonly string[]).includes(data.event)) {
    const event = data.event as ProbeEventName;
    return isPageNumber(data.page) ? { channel: PROBE_CHANNEL, event, page: data.page } : { channel: PROBE_CHANNEL, event };
  }
  return null;
}

/** The probe's answer to `info`, checked; null when the page has no viewer (yet) or sent nonsense. */
export function readProbeInfo(value: unknown): ProbeInfo | null {
  if (!isRecord(value)) return null;
  const { kind, fingerprint, pages, url, title } = value;
  if (kind !== 'application' && kind !== 'components') return null;
  if (!shortString(fingerprint, LIMITS.fingerprintChars) || !/^[0-9a-f]{16,128}$/i.test(fingerprint)) return null;
  if (!isPageNumber(pages) || !shortString(url, LIMITS.urlChars) || !shortString(title, LIMITS.titleChars)) return null;
  return { kind, fingerprint, pages, url, title };
}

/** A page's text items, checked; null when the answer is not a page's text within the limits. */
export function readProbePageText(value: unknown): ProbeTextItem[] | null {
  if (!Array.isArray(value) || value.length > LIMITS.itemsPerPage) return null;
  const items: ProbeTextItem[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || !shortString(entry.str, LIMITS.itemChars)) return null;
    const transform = entry.transform;
    const numbers =
      Array.isArray(transform) && transform.length === 6 && transform.every((n) => typeof n === 'number' && Number.isFinite(n));
    const height = typeof entry.height === 'number' && Number.isFinite(entry.height) ? entry.height : 0;
    items.push({ str: entry.str, hasEOL: entry.hasEOL === true, transform: numbers ? (transform as number[]) : [], height });
  }
  return items;
}

/** The document's bookmarks, checked; a malformed outline reads as none. */
export function readProbeOutline(value: unknown, pages: number): ProbeOutlineEntry[] {
  let budget = LIMITS.outlineEntries;
  const read = (nodes: unknown, depth: number): ProbeOutlineEntry[] | null => {
    if (!Array.isArray(nodes) || depth > LIMITS.outlineDepth) return null;
    const out: ProbeOutlineEntry[] = [];
    for (const node of nodes) {
      if (--budget < 0 || !isRecord(node) || !shortString(node.title, LIMITS.titleChars)) return null;
      const children = read(node.children ?? [], depth + 1);
      if (!children) return null;
      out.push({ title: node.title, page: isPageNumber(node.page, pages) ? node.page : null, children });
    }
    return out;
  };
  return read(value, 0) ?? [];
}

/** The quarter turns pdf.js knows: a page's own rotation and the viewer's are each one of these. */
const QUARTER_TURNS = [0, 90, 180, 270] as const;
export type QuarterTurn = (typeof QUARTER_TURNS)[number];
export const isQuarterTurn = (value: unknown): value is QuarterTurn => (QUARTER_TURNS as readonly unknown[]).includes(value);

/** Each page's own rotation, checked: one quarter turn per page of the document, else none known. */
export function readProbeRotations(value: unknown, pages: number): QuarterTurn[] | null {
  if (!Array.isArray(value) || value.length !== pages || !value.every(isQuarterTurn)) return null;
  return value;
}
