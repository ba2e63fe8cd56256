/**
 * A person's correction of a packet's agenda ("Ret indhold"): the items and attachments under the
 * packet's own labels and the page each starts on; where each ends follows from where the next
 * begins. Kept in the user's notes room and, when shared, in a group's shared room (the server
 * writes it there: docs/PROTOCOL.md). Both arrive from sources that are not trusted (any Yjs update
 * of the room's owner, any member's PUT), so every reader and the server check it with one schema
 * (`correctionSchema`; `parseCorrection` says which problem it found, for the editor): bounded
 * counts, lengths and size, whole numbers, pages within the packet, items in page order, only the
 * known fields (so no `__proto__` or `constructor` key is taken along).
 */

import * as v from 'valibot';
import { PDF_URN_PREFIX } from '../identity/packet-identity.ts';
import type { Author } from '../model/annotation.ts';
import { describeIssue, isJsonObject, jsonObject, matching, nonBlankText, whole } from '../model/validation.ts';
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

const VERSION = new RegExp(`^${PDF_URN_PREFIX}[0-9a-f]{16,64}$`);
const pageOfThePacket = (last: number) => `must be a page of the packet (1 to ${last})`;

/** The fields of an item and of an attachment, pages bounded by `lastPage`. */
const entryFields = (lastPage: number) => ({
  number: whole(0, CorrectionLimits.numberMax, `must be a whole number from 0 to ${CorrectionLimits.numberMax}`),
  label: nonBlankText(CorrectionLimits.labelMaxChars, `must be text of 1 to ${CorrectionLimits.labelMaxChars} characters`),
  title: nonBlankText(CorrectionLimits.titleMaxChars, `must be text of 1 to ${CorrectionLimits.titleMaxChars} characters`),
  firstPage: whole(1, lastPage, pageOfThePacket(lastPage)),
});

/**
 * Each field on its own: types, bounds, counts, and no field but the known ones (no `__proto__`
 * or `constructor` is taken along). `by` and `at` pass (set by whoever stores it; a client that
 * echoes what it read is not refused for them). How the fields relate is `disorderOf`'s.
 */
function correctionShape(bounds: CorrectionBounds) {
  const lastPage = bounds.pages ?? CorrectionLimits.pagesMax;
  const attachment = jsonObject(entryFields(lastPage), 'must be an object', { strict: true });
  const item = jsonObject({ ...entryFields(lastPage), attachments: v.array(attachment, 'must be an array') }, 'must be an object', {
    strict: true,
  });
  const versionMessage = `must be ${PDF_URN_PREFIX} and the PDF's fingerprint (16 to 64 hex digits)`;
  const pagesMessage = `must be a whole number from 1 to ${CorrectionLimits.pagesMax}`;
  return jsonObject(
    {
      version: v.optional(matching(VERSION, versionMessage)),
      pages: v.optional(
        v.pipe(
          whole(1, CorrectionLimits.pagesMax, pagesMessage),
          v.check((pages) => bounds.pages === undefined || pages === bounds.pages, `must be the packet's page count (${bounds.pages})`),
        ),
      ),
      items: v.pipe(
        v.array(item, 'must be an array'),
        v.minLength(1, 'must name at least one item (to drop a correction, remove it)'),
        v.maxLength(CorrectionLimits.items, `must hold at most ${CorrectionLimits.items} items`),
      ),
      by: v.optional(v.unknown()),
      at: v.optional(v.unknown()),
    },
    'must be a JSON object',
    { strict: true },
  );
}

type Shaped = v.InferOutput<ReturnType<typeof correctionShape>>;

/** What is wrong with how the fields relate, and where (a path as in the body). */
interface Disorder {
  path: Array<string | number>;
  message: string;
  code: CorrectionProblemCode;
}

/**
 * Pages within the packet (the page count the reader knows, else the one the correction states),
 * items and each item's attachments on rising pages, attachments within their item, numbers not
 * used twice, the counts and the size of the whole.
 */
function disorderOf(c: Shaped, bounds: CorrectionBounds): Disorder | null {
  const lastPage = bounds.pages ?? c.pages ?? CorrectionLimits.pagesMax;
  const beyond = (path: Array<string | number>, page: number): Disorder | null =>
    page > lastPage ? { path: [...path, 'firstPage'], message: pageOfThePacket(lastPage), code: 'page' } : null;
  const numbers = new Set<number>();
  for (const [i, item] of c.items.entries()) {
    const wrong = beyond(['items', i], item.firstPage);
    if (wrong) return wrong;
  }
  for (const [i, item] of c.items.entries()) {
    const previous = c.items[i - 1];
    if (previous && item.firstPage <= previous.firstPage)
      return { path: ['items', i], message: `must start after the item before it (page ${previous.firstPage})`, code: 'order' };
    if (numbers.has(item.number)) return { path: ['items', i, 'number'], message: `${item.number} is used twice`, code: 'duplicate' };
    numbers.add(item.number);
  }
  let attachmentCount = 0;
  for (const [i, item] of c.items.entries()) {
    const range = { first: item.firstPage, last: (c.items[i + 1]?.firstPage ?? lastPage + 1) - 1 };
    const used = new Set<number>();
    for (const [j, a] of item.attachments.entries()) {
      const path = ['items', i, 'attachments', j];
      const wrong = beyond(path, a.firstPage);
      if (wrong) return wrong;
      if (a.firstPage < range.first || a.firstPage > range.last)
        return {
          path: [...path, 'firstPage'],
          message: `must lie within its item's pages (${range.first} to ${range.last})`,
          code: 'outside',
        };
      const previous = item.attachments[j - 1];
      if (previous && a.firstPage <= previous.firstPage)
        return { path, message: `must start after the attachment before it (page ${previous.firstPage})`, code: 'order' };
      if (used.has(a.number)) return { path: [...path, 'number'], message: `${a.number} is used twice in this item`, code: 'duplicate' };
      used.add(a.number);
    }
    attachmentCount += item.attachments.length;
    if (attachmentCount > CorrectionLimits.attachments)
      return {
        path: ['items', i, 'attachments'],
        message: `go past the ${CorrectionLimits.attachments} attachments a correction may hold in all`,
        code: 'count',
      };
  }
  if (JSON.stringify(withoutStamp(c)).length > CorrectionLimits.jsonMaxChars)
    return { path: [], message: `is larger than ${CorrectionLimits.jsonMaxChars} characters of JSON`, code: 'size' };
  return null;
}

/** The correction without who and when; its page count the one the reader knows, if it knows one. */
function withoutStamp(c: Shaped, bounds: CorrectionBounds = {}): AgendaCorrection {
  const pages = bounds.pages ?? c.pages;
  return { ...(c.version !== undefined ? { version: c.version } : {}), ...(pages !== undefined ? { pages } : {}), items: c.items };
}

/**
 * A correction sent by a client, as a schema: every field and how they relate, `by` and `at`
 * dropped. The PUT body of protocol/http-api.ts is this without bounds; the server checks the
 * result again against the page count the caller registered.
 */
export function correctionSchema(bounds: CorrectionBounds = {}) {
  return v.pipe(
    correctionShape(bounds),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const disorder = disorderOf(dataset.value, bounds);
      if (!disorder) return;
      const [first, ...rest] = disorder.path.map((key) => ({
        type: 'unknown' as const,
        origin: 'value' as const,
        input: undefined,
        key,
        value: undefined,
      }));
      addIssue({ message: disorder.message, ...(first ? { path: [first, ...rest] } : {}) });
    }),
    v.transform((c) => withoutStamp(c, bounds)),
  );
}

/** Which problem a field's issue is, for a view to say it and put the focus on the field. */
const FIELD_CODES: Partial<Record<string, CorrectionProblemCode>> = {
  version: 'version',
  pages: 'pages',
  number: 'number',
  label: 'label',
  title: 'title',
  firstPage: 'page',
};

function problemAt(path: ReadonlyArray<unknown>, code: CorrectionProblemCode): CorrectionProblem {
  const keys = path.map((p) => (typeof p === 'object' && p !== null && 'key' in p ? p.key : p));
  const indexAfter = (name: string) => {
    const at = keys.indexOf(name);
    const index = at < 0 ? undefined : keys[at + 1];
    return typeof index === 'number' ? index : null;
  };
  return { code, item: indexAfter('items'), attachment: indexAfter('attachments') };
}

function shapeProblem(issue: v.BaseIssue<unknown>): CorrectionProblem {
  const path = issue.path ?? [];
  const last = path.at(-1)?.key;
  // The shape's only raw check is the one for unknown fields.
  const code: CorrectionProblemCode =
    issue.type === 'raw_check'
      ? 'field'
      : ((typeof last === 'string' ? FIELD_CODES[last] : undefined) ??
        (issue.type === 'min_length' || issue.type === 'max_length' ? 'count' : 'shape'));
  return problemAt(path, code);
}

function parse(value: unknown, bounds: CorrectionBounds): CorrectionResult<Shaped> {
  const shaped = v.safeParse(correctionShape(bounds), value);
  if (!shaped.success) {
    const issue = shaped.issues[0];
    return { ok: false, error: describeIssue(issue, SUBJECT), problem: shapeProblem(issue) };
  }
  const disorder = disorderOf(shaped.output, bounds);
  if (disorder) {
    return { ok: false, error: describeIssue(disorder, SUBJECT), problem: problemAt(disorder.path, disorder.code) };
  }
  return { ok: true, value: shaped.output };
}

const SUBJECT = 'the correction';

function authorOf(v: unknown): Author | null {
  if (!isJsonObject(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  return { id: v.id.slice(0, 128), name: v.name.slice(0, 200) };
}

/** A correction sent by a client (the PUT body, the editor's result). `by` and `at` are dropped: whoever stores it sets them. */
export function parseCorrection(value: unknown, bounds: CorrectionBounds = {}): CorrectionResult<AgendaCorrection> {
  const result = parse(value, bounds);
  return result.ok ? { ok: true, value: withoutStamp(result.value, bounds) } : result;
}

/** A correction as a room holds it, or null when what the room holds is not one (an older or hostile writer). */
export function readStoredCorrection(value: unknown): StoredCorrection | null {
  const result = parse(value, {});
  if (!result.ok) return null;
  const { by, at } = result.value;
  return { ...withoutStamp(result.value), by: authorOf(by), at: typeof at === 'string' ? at.slice(0, 40) : '' };
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
