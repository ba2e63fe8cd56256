/**
 * The annotation model shared by extension, server and exporters (see docs/ARCHITECTURE.md).
 * Everything that crosses a trust boundary goes through `parseTarget` / `parseAnnotationDraft`.
 */
import { fail, ok, type Result } from './result.ts';

export const AnnotationKind = { note: 'note', comment: 'comment', reply: 'reply' } as const;
export type AnnotationKind = (typeof AnnotationKind)[keyof typeof AnnotationKind];

export const AnnotationLimits = {
  bodyMaxChars: 10_000,
  /** Characters of context kept on each side of a quote. */
  contextChars: 32,
  quoteMaxChars: 10_000,
  titleMaxChars: 1_000,
  /** An agenda label ("Sag nr. 3", "Bilag 3.2"): a keyword and a number. */
  labelMaxChars: 64,
  tagsMax: 20,
  tagMaxChars: 64,
  selectorsMax: 8,
  idMaxChars: 128,
  /** Versions a note can have been re-attached in; the oldest re-attachment gives way. */
  placesMax: 16,
} as const;

export interface Author {
  id: string;
  name: string;
}

export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/** Offsets into the packet's normalised text (see anchoring/page-text.ts). */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export type Selector = TextQuoteSelector | TextPositionSelector;

/** A rectangle on a page, in fractions (0..1) of the page's width and height. */
export interface Region {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AgendaRef {
  number: number;
  title: string;
  /** The packet's own name for the item or attachment ("Sag 3", "Bilag 3.2"); absent in notes stored before labels. */
  label?: string;
}

/** A page fingerprint (anchoring/page-fingerprint.ts) and how distinct the page was in its own version. */
export interface PagePrint {
  /** 64 bits as 16 hex digits. */
  hash: string;
  /** Bits between this hash and the nearest other page's of the same kind in that version (64 when none). */
  nearest: number;
}

/**
 * What the page of a page or region note was, so the note finds its page in a republished
 * version by content rather than by number (docs/AGENDA.md, "Page identity"). A page with text
 * has a text print; a page with (almost) no text, a scan, has an image print.
 */
export interface PageIdentity {
  text?: PagePrint;
  image?: PagePrint;
}

export interface Target {
  /** `urn:x-pdf:<fingerprint>` of the version the note was made on. */
  packetVersion?: string;
  /** 1-based page; the only required field, so a page note needs nothing else. */
  page: number;
  agendaItem?: AgendaRef | null;
  attachment?: AgendaRef | null;
  selectors?: Selector[];
  region?: Region;
  /** Set on page and region notes made since page identities exist; older notes go by page number. */
  pageIdentity?: PageIdentity;
  /**
   * Where the note was put again ("Tilknyt igen", "Behold") in other versions than the one it was
   * made on, one per version: each version shows its own place, and the note's own place above
   * stays as it was for the version it was made on.
   */
  places?: VersionPlace[];
}

/** A note's place in one version of the packet. */
export type VersionPlace = Omit<Target, 'places' | 'packetVersion'> & { packetVersion: string };

export interface Annotation {
  id: string;
  kind: AnnotationKind;
  replyTo: string | null;
  author: Author | null;
  created: string;
  modified: string;
  body: string;
  color: string | null;
  tags: string[];
  resolved: boolean;
  deleted: boolean;
  target: Target;
}

/** What a client proposes; author and times are always set by whoever stores it. */
export interface AnnotationDraft {
  id: string;
  kind: AnnotationKind;
  body: string;
  replyTo: string | null;
  target: Target;
  color: string | null;
  tags: string[];
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPage = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100_000;
const isOffset = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isFraction = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

export function isAnnotationId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

function parseAgendaRef(v: unknown, field: string): Result<AgendaRef | null> {
  if (v === undefined || v === null) return ok(null);
  if (!isObject(v) || !Number.isInteger(v.number) || (v.number as number) < 0 || typeof v.title !== 'string') {
    return fail(`${field} must be {number, title}`);
  }
  if (v.title.length > AnnotationLimits.titleMaxChars) return fail(`${field}.title is too long`);
  if (v.label !== undefined && (typeof v.label !== 'string' || v.label.length > AnnotationLimits.labelMaxChars)) {
    return fail(`${field}.label must be text of at most ${AnnotationLimits.labelMaxChars} characters`);
  }
  return ok({ number: v.number as number, title: v.title, ...(typeof v.label === 'string' ? { label: v.label } : {}) });
}

function parseSelector(v: unknown, i: number): Result<Selector> {
  if (!isObject(v)) return fail(`target.selectors[${i}] must be an object`);
  if (v.type === 'TextQuoteSelector') {
    const { exact, prefix = '', suffix = '' } = v;
    if (typeof exact !== 'string' || exact.length === 0) return fail(`target.selectors[${i}].exact must be non-empty text`);
    if (exact.length > AnnotationLimits.quoteMaxChars) return fail(`target.selectors[${i}].exact is too long`);
    if (typeof prefix !== 'string' || typeof suffix !== 'string') return fail(`target.selectors[${i}] prefix/suffix must be text`);
    const max = AnnotationLimits.contextChars;
    if (prefix.length > max || suffix.length > max) return fail(`target.selectors[${i}] prefix/suffix exceed ${max} characters`);
    return ok({ type: 'TextQuoteSelector', exact, prefix, suffix });
  }
  if (v.type === 'TextPositionSelector') {
    if (!isOffset(v.start) || !isOffset(v.end) || v.end < v.start) {
      return fail(`target.selectors[${i}] needs integer start <= end`);
    }
    return ok({ type: 'TextPositionSelector', start: v.start, end: v.end });
  }
  return fail(`target.selectors[${i}].type must be TextQuoteSelector or TextPositionSelector`);
}

function parseRegion(v: unknown): Result<Region> {
  if (!isObject(v) || !isPage(v.page)) return fail('target.region needs a page');
  const { x, y, w, h } = v;
  if (!isFraction(x) || !isFraction(y) || !isFraction(w) || !isFraction(h)) {
    return fail('target.region x, y, w, h must be fractions between 0 and 1');
  }
  return ok({ page: v.page, x, y, w, h });
}

const HASH_PATTERN = /^[0-9a-f]{16}$/;

function parsePagePrint(v: unknown, field: string): Result<PagePrint> {
  if (!isObject(v) || typeof v.hash !== 'string' || !HASH_PATTERN.test(v.hash)) return fail(`${field}.hash must be 16 hex digits`);
  if (!Number.isInteger(v.nearest) || (v.nearest as number) < 0 || (v.nearest as number) > 64) {
    return fail(`${field}.nearest must be a whole number of bits from 0 to 64`);
  }
  return ok({ hash: v.hash, nearest: v.nearest as number });
}

function parsePageIdentity(v: unknown, field: string): Result<PageIdentity> {
  if (!isObject(v)) return fail(`${field} must be an object`);
  const identity: PageIdentity = {};
  for (const kind of ['text', 'image'] as const) {
    if (v[kind] === undefined) continue;
    const print = parsePagePrint(v[kind], `${field}.${kind}`);
    if (!print.ok) return print;
    identity[kind] = print.value;
  }
  return ok(identity);
}

export function parseTarget(v: unknown): Result<Target> {
  return parsePlace(v, 'target', true);
}

/** A target, or (`topLevel` false) one of its per-version places, which must name their version and hold no places. */
function parsePlace(v: unknown, field: string, topLevel: boolean): Result<Target> {
  if (!isObject(v)) return fail(`${field} must be an object`);
  if (!isPage(v.page)) return fail(`${field}.page must be a page number (1 or more)`);
  const target: Target = { page: v.page };
  if (v.packetVersion !== undefined || !topLevel) {
    if (typeof v.packetVersion !== 'string' || v.packetVersion.length > 200) return fail(`${field}.packetVersion must be a short string`);
    target.packetVersion = v.packetVersion;
  }
  const item = parseAgendaRef(v.agendaItem, `${field}.agendaItem`);
  if (!item.ok) return item;
  if (v.agendaItem !== undefined) target.agendaItem = item.value;
  const attachment = parseAgendaRef(v.attachment, `${field}.attachment`);
  if (!attachment.ok) return attachment;
  if (v.attachment !== undefined) target.attachment = attachment.value;
  if (v.selectors !== undefined) {
    if (!Array.isArray(v.selectors) || v.selectors.length > AnnotationLimits.selectorsMax) {
      return fail(`target.selectors must be an array of at most ${AnnotationLimits.selectorsMax}`);
    }
    const selectors: Selector[] = [];
    for (const [i, s] of v.selectors.entries()) {
      const parsed = parseSelector(s, i);
      if (!parsed.ok) return parsed;
      selectors.push(parsed.value);
    }
    target.selectors = selectors;
  }
  if (v.region !== undefined) {
    const region = parseRegion(v.region);
    if (!region.ok) return region;
    target.region = region.value;
  }
  if (v.pageIdentity !== undefined) {
    const identity = parsePageIdentity(v.pageIdentity, `${field}.pageIdentity`);
    if (!identity.ok) return identity;
    target.pageIdentity = identity.value;
  }
  if (v.places !== undefined) {
    if (!topLevel) return fail(`${field} cannot hold places of its own`);
    if (!Array.isArray(v.places) || v.places.length > AnnotationLimits.placesMax) {
      return fail(`target.places must be an array of at most ${AnnotationLimits.placesMax}`);
    }
    const places: VersionPlace[] = [];
    for (const [i, p] of v.places.entries()) {
      const place = parsePlace(p, `target.places[${i}]`, false);
      if (!place.ok) return place;
      places.push(place.value as VersionPlace);
    }
    target.places = places;
  }
  return ok(target);
}

function parseTags(v: unknown): Result<string[]> {
  if (v === undefined || v === null) return ok([]);
  if (!Array.isArray(v) || v.length > AnnotationLimits.tagsMax) return fail(`tags must be an array of at most ${AnnotationLimits.tagsMax}`);
  for (const t of v) {
    if (typeof t !== 'string' || t.length === 0 || t.length > AnnotationLimits.tagMaxChars)
      return fail('each tag must be short non-empty text');
  }
  return ok(v as string[]);
}

export function parseBody(v: unknown): Result<string> {
  if (typeof v !== 'string') return fail('body must be text');
  if (v.length > AnnotationLimits.bodyMaxChars) return fail(`body exceeds ${AnnotationLimits.bodyMaxChars} characters`);
  return ok(v);
}

export function parseColor(v: unknown): Result<string | null> {
  if (v === undefined || v === null) return ok(null);
  if (typeof v !== 'string' || !COLOR_PATTERN.test(v)) return fail('color must look like #a1b2c3');
  return ok(v);
}

/** Validates a client's proposal. Unknown fields (author, created, ...) are ignored on purpose. */
export function parseAnnotationDraft(v: unknown): Result<AnnotationDraft> {
  if (!isObject(v)) return fail('the annotation must be a JSON object');
  if (!isAnnotationId(v.id)) return fail('id must match [A-Za-z0-9_-]{1,128}');
  if (v.kind !== 'note' && v.kind !== 'comment' && v.kind !== 'reply') return fail('kind must be note, comment or reply');
  const body = parseBody(v.body);
  if (!body.ok) return body;
  let replyTo: string | null = null;
  if (v.kind === 'reply') {
    if (!isAnnotationId(v.replyTo)) return fail('a reply needs replyTo, the id of the annotation it answers');
    replyTo = v.replyTo;
  } else if (v.replyTo !== undefined && v.replyTo !== null) {
    return fail('only a reply may have replyTo');
  }
  const target = parseTarget(v.target);
  if (!target.ok) return target;
  const color = parseColor(v.color);
  if (!color.ok) return color;
  const tags = parseTags(v.tags);
  if (!tags.ok) return tags;
  return ok({ id: v.id, kind: v.kind, body: body.value, replyTo, target: target.value, color: color.value, tags: tags.value });
}

export function quoteOf(target: Target): TextQuoteSelector | undefined {
  return target.selectors?.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
}

export function positionOf(target: Target): TextPositionSelector | undefined {
  return target.selectors?.find((s): s is TextPositionSelector => s.type === 'TextPositionSelector');
}

/**
 * The target as the given version shows it: the place the note was re-attached to there, if
 * any, else the note's own place. Without a version, the note's own place.
 */
export function placeIn(target: Target, version: string | undefined): Target {
  const place = version === undefined ? undefined : target.places?.find((p) => p.packetVersion === version);
  return place ?? target;
}

/**
 * The target after putting the note at `place` in `place.packetVersion`: a version other than
 * the one the note was made on gets (or replaces) its own entry, so the other versions keep
 * showing the note where they did; in the version it was made on, the note's own place moves.
 */
export function withPlace(target: Target, place: VersionPlace): Target {
  const { places: _ignored, ...own } = place as VersionPlace & { places?: unknown };
  if (target.packetVersion === place.packetVersion) return { ...own, ...(target.places ? { places: target.places } : {}) };
  const others = (target.places ?? []).filter((p) => p.packetVersion !== place.packetVersion);
  return { ...target, places: [...others, own].slice(-AnnotationLimits.placesMax) };
}
