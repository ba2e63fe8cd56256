/**
 * A person's correction of a packet's agenda ("Ret indhold"): the items and attachments under the
 * packet's own labels and the page each starts on; where each ends follows from where the next
 * begins. Kept in the user's notes room and, when shared, in a group's shared room (the server
 * writes it there: docs/PROTOCOL.md). Both arrive from sources that are not trusted (any Yjs update
 * of the room's owner, any member's PUT), so every reader and the server check it with
 * `parseCorrection`: bounded counts, lengths and size, whole numbers, pages within the packet,
 * items in page order, only the known fields (so no `__proto__` or `constructor` key is taken along).
 */

import { PDF_URN_PREFIX } from '../identity/packet-identity.ts';
import type { Author } from '../model/annotation.ts';
import type { AgendaOutline } from './outline.ts';
import { defaultAttachmentLabel, defaultItemLabel } from './outline.ts';

interface CorrectionAttachment {
  number: number;
  label: string;
  title: string;
  firstPage: number;
}

interface CorrectionItem extends CorrectionAttachment {
  attachments: CorrectionAttachment[];
}

export interface AgendaCorrection {
  /** The version it was made on (`urn:x-pdf:<fingerprint>`): its pages are that version's pages. */
  version?: string;
  /** That version's page count: the last item runs to it. */
  pages?: number;
  items: CorrectionItem[];
}

/** As a room holds it: who made it and when (set by the server in a shared room). */
export interface StoredCorrection extends AgendaCorrection {
  by: Author | null;
  /** ISO time. */
  at: string;
}

/** Part of the contract, like the bounds of a registered outline (docs/PROTOCOL.md), not settings. */
export const CorrectionLimits = {
  items: 1_000,
  attachments: 5_000,
  labelMaxChars: 64,
  titleMaxChars: 1_000,
  numberMax: 1_000_000,
  pagesMax: 100_000,
  /** The whole correction as JSON: a packet of 1,000 items with titles of a usual length fits. */
  jsonMaxChars: 256 * 1024,
} as const;

/** What is wrong, for a view to say in its own language and put the focus on the field. */
export type CorrectionProblemCode =
  | 'shape'
  | 'field'
  | 'version'
  | 'pages'
  | 'count'
  | 'size'
  | 'number'
  | 'duplicate'
  | 'label'
  | 'title'
  | 'page'
  | 'order'
  | 'outside';

export interface CorrectionProblem {
  code: CorrectionProblemCode;
  /** Index of the item in `items` (null: the whole correction). */
  item: number | null;
  /** Index of the attachment in the item's `attachments`. */
  attachment: number | null;
}

export type CorrectionResult<T> = { ok: true; value: T } | { ok: false; error: string; problem: CorrectionProblem };

export interface CorrectionBounds {
  /** The packet's page count, when the reader knows it: every page must lie within it. */
  pages?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const VERSION = new RegExp(`^${PDF_URN_PREFIX}[0-9a-f]{16,64}$`);

const CORRECTION_KEYS = new Set(['version', 'pages', 'items']);
/** Set by whoever stores it; a client that sends them back (an echo of what it read) is not refused for it. */
const STORED_KEYS = new Set(['by', 'at']);
const ITEM_KEYS = new Set(['number', 'label', 'title', 'firstPage', 'attachments']);
const ATTACHMENT_KEYS = new Set(['number', 'label', 'title', 'firstPage']);

class Refusal extends Error {
  readonly problem: CorrectionProblem;
  constructor(message: string, code: CorrectionProblemCode, item: number | null = null, attachment: number | null = null) {
    super(message);
    this.problem = { code, item, attachment };
  }
}

function onlyKeys(v: Json, allowed: ReadonlySet<string>, where: string, item: number | null, attachment: number | null): void {
  for (const key of Object.keys(v)) {
    if (!allowed.has(key)) throw new Refusal(`${where}: unknown field ${JSON.stringify(key.slice(0, 40))}`, 'field', item, attachment);
  }
}

interface EntryPlace {
  where: string;
  item: number;
  attachment: number | null;
  lastPage: number;
}

function entryOf(v: unknown, allowed: ReadonlySet<string>, place: EntryPlace): CorrectionAttachment {
  const { where, item, attachment } = place;
  if (!isObject(v)) throw new Refusal(`${where} must be an object`, 'shape', item, attachment);
  onlyKeys(v, allowed, where, item, attachment);
  const { number, label, title, firstPage } = v;
  if (!isWhole(number, 0, CorrectionLimits.numberMax))
    throw new Refusal(`${where}.number must be a whole number from 0 to ${CorrectionLimits.numberMax}`, 'number', item, attachment);
  if (typeof label !== 'string' || label.trim() === '' || label.length > CorrectionLimits.labelMaxChars)
    throw new Refusal(`${where}.label must be text of 1 to ${CorrectionLimits.labelMaxChars} characters`, 'label', item, attachment);
  if (typeof title !== 'string' || title.trim() === '' || title.length > CorrectionLimits.titleMaxChars)
    throw new Refusal(`${where}.title must be text of 1 to ${CorrectionLimits.titleMaxChars} characters`, 'title', item, attachment);
  if (!isWhole(firstPage, 1, place.lastPage))
    throw new Refusal(`${where}.firstPage must be a page of the packet (1 to ${place.lastPage})`, 'page', item, attachment);
  return { number, label, title, firstPage };
}

function attachmentsOf(v: Json, i: number, range: { first: number; last: number }, lastPage: number): CorrectionAttachment[] {
  const where = `items[${i}].attachments`;
  if (!Array.isArray(v.attachments)) throw new Refusal(`${where} must be an array`, 'shape', i);
  const attachments = v.attachments.map((a, j) =>
    entryOf(a, ATTACHMENT_KEYS, { where: `${where}[${j}]`, item: i, attachment: j, lastPage }),
  );
  const numbers = new Set<number>();
  for (const [j, a] of attachments.entries()) {
    if (a.firstPage < range.first || a.firstPage > range.last)
      throw new Refusal(`${where}[${j}].firstPage must lie within its item's pages (${range.first} to ${range.last})`, 'outside', i, j);
    const previous = attachments[j - 1];
    if (previous && a.firstPage <= previous.firstPage)
      throw new Refusal(`${where}[${j}] must start after the attachment before it (page ${previous.firstPage})`, 'order', i, j);
    if (numbers.has(a.number)) throw new Refusal(`${where}[${j}].number ${a.number} is used twice in this item`, 'duplicate', i, j);
    numbers.add(a.number);
  }
  return attachments;
}

function itemsOf(v: Json, lastPage: number): CorrectionItem[] {
  if (!Array.isArray(v.items)) throw new Refusal('items must be an array', 'shape');
  if (v.items.length === 0) throw new Refusal('items must name at least one item (to drop a correction, remove it)', 'count');
  if (v.items.length > CorrectionLimits.items) throw new Refusal(`at most ${CorrectionLimits.items} items`, 'count');
  const raw = v.items as unknown[];
  const heads = raw.map((item, i) => entryOf(item, ITEM_KEYS, { where: `items[${i}]`, item: i, attachment: null, lastPage }));
  const numbers = new Set<number>();
  for (const [i, head] of heads.entries()) {
    const previous = heads[i - 1];
    if (previous && head.firstPage <= previous.firstPage)
      throw new Refusal(`items[${i}] must start after the item before it (page ${previous.firstPage})`, 'order', i);
    if (numbers.has(head.number)) throw new Refusal(`items[${i}].number ${head.number} is used twice`, 'duplicate', i);
    numbers.add(head.number);
  }
  let attachmentCount = 0;
  return heads.map((head, i) => {
    const next = heads[i + 1];
    const range = { first: head.firstPage, last: next ? next.firstPage - 1 : lastPage };
    const attachments = attachmentsOf(raw[i] as Json, i, range, lastPage);
    attachmentCount += attachments.length;
    if (attachmentCount > CorrectionLimits.attachments)
      throw new Refusal(`at most ${CorrectionLimits.attachments} attachments in all`, 'count', i);
    return { ...head, attachments };
  });
}

function authorOf(v: unknown): Author | null {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  return { id: v.id.slice(0, 128), name: v.name.slice(0, 200) };
}

function parse(v: unknown, bounds: CorrectionBounds, stored: boolean): AgendaCorrection & { by?: Author | null; at?: string } {
  if (!isObject(v)) throw new Refusal('the correction must be a JSON object', 'shape');
  onlyKeys(v, new Set([...CORRECTION_KEYS, ...STORED_KEYS]), 'the correction', null, null);
  if (v.version !== undefined && (typeof v.version !== 'string' || !VERSION.test(v.version)))
    throw new Refusal(`version must be ${PDF_URN_PREFIX} and the PDF's fingerprint (16 to 64 hex digits)`, 'version');
  if (v.pages !== undefined && !isWhole(v.pages, 1, CorrectionLimits.pagesMax))
    throw new Refusal(`pages must be a whole number from 1 to ${CorrectionLimits.pagesMax}`, 'pages');
  if (bounds.pages !== undefined && v.pages !== undefined && v.pages !== bounds.pages)
    throw new Refusal(`pages must be the packet's page count (${bounds.pages})`, 'pages');
  const lastPage = bounds.pages ?? (v.pages as number | undefined) ?? CorrectionLimits.pagesMax;
  const items = itemsOf(v, lastPage);
  const pages = bounds.pages ?? (v.pages as number | undefined);
  const correction = {
    ...(v.version !== undefined ? { version: v.version as string } : {}),
    ...(pages !== undefined ? { pages } : {}),
    items,
  };
  if (JSON.stringify(correction).length > CorrectionLimits.jsonMaxChars)
    throw new Refusal(`the correction is larger than ${CorrectionLimits.jsonMaxChars} characters of JSON`, 'size');
  return { ...correction, ...(stored ? { by: authorOf(v.by), at: typeof v.at === 'string' ? v.at.slice(0, 40) : '' } : {}) };
}

function attempt<T>(run: () => T): CorrectionResult<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.message, problem: error.problem };
    throw error;
  }
}

/** A correction sent by a client (the PUT body, the editor's result). `by` and `at` are dropped: whoever stores it sets them. */
export function parseCorrection(v: unknown, bounds: CorrectionBounds = {}): CorrectionResult<AgendaCorrection> {
  return attempt(() => {
    const { by: _by, at: _at, ...correction } = parse(v, bounds, false);
    return correction;
  });
}

/** A correction as a room holds it, or null when what the room holds is not one (an older or hostile writer). */
export function readStoredCorrection(v: unknown): StoredCorrection | null {
  const result = attempt(() => parse(v, {}, true));
  if (!result.ok) return null;
  const { by = null, at = '', ...correction } = result.value;
  return { ...correction, by, at };
}

/** Whether a correction may place the pages of this version: made on it (or not saying), and within its pages. */
export function correctionAppliesTo(correction: AgendaCorrection, packet: { version: string | null; pages: number | null }): boolean {
  if (correction.version !== undefined && packet.version !== null && correction.version !== packet.version) return false;
  if (packet.pages === null) return true;
  if (correction.pages !== undefined && correction.pages !== packet.pages) return false;
  return correction.items.every((i) => i.firstPage <= (packet.pages as number));
}

/** The outline a correction describes: each item and attachment runs to the page before the next. A person said so: sure. */
export function correctionToOutline(correction: AgendaCorrection, pages: number): AgendaOutline {
  const items = correction.items;
  return {
    pages,
    confidence: 1,
    items: items.map((item, i) => {
      const lastPage = Math.max(item.firstPage, (items[i + 1]?.firstPage ?? pages + 1) - 1);
      return {
        number: item.number,
        label: item.label,
        title: item.title,
        firstPage: item.firstPage,
        lastPage,
        attachments: item.attachments.map((a, j) => ({
          number: a.number,
          label: a.label,
          title: a.title,
          firstPage: a.firstPage,
          lastPage: Math.max(a.firstPage, (item.attachments[j + 1]?.firstPage ?? lastPage + 1) - 1),
        })),
      };
    }),
  };
}

/** Where an editor starts: the outline shown, with every label written out. */
export function outlineToCorrection(outline: AgendaOutline, version?: string): AgendaCorrection {
  return {
    ...(version !== undefined ? { version } : {}),
    pages: outline.pages,
    items: outline.items.map((item) => ({
      number: item.number,
      label: item.label ?? defaultItemLabel(item.number),
      title: item.title,
      firstPage: item.firstPage,
      attachments: item.attachments.map((a) => ({
        number: a.number,
        label: a.label ?? defaultAttachmentLabel(a.number),
        title: a.title,
        firstPage: a.firstPage,
      })),
    })),
  };
}

/**
 * The label of the entry after one labelled `label` with `from`: "Sag 38" after "Sag 37", "Bilag
 * 37.3" after "Bilag 37.2", "4)" after "3)"; a label that does not end in its number gets `fallback`.
 */
export function nextLabel(label: string, from: number, to: number, fallback: string): string {
  const match = /(\d+)(\D{0,2})$/.exec(label);
  if (!match || Number(match[1]) !== from) return fallback;
  return `${label.slice(0, match.index)}${to}${match[2] ?? ''}`;
}
