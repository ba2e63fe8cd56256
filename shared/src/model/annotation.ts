/**
 * The annotation model shared by extension, server and exporters (see docs/ARCHITECTURE.md).
 * Everything that crosses a trust boundary goes through the schemas below (`TargetSchema`, and
 * the request bodies of protocol/http-api.ts built from them).
 */
import * as v from 'valibot';
import { ID_PATTERN } from '../identity/ids.ts';
import { fail, ok, type Result } from './result.ts';
import { describeIssue, fraction, isJsonObject, jsonObject, matching, text, whole } from './validation.ts';

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
  /** People one shared comment may mention (docs/NOTIFICATIONS.md): a committee, not a town. */
  mentionsMax: 25,
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

/** Offsets into the packet's normalised text (see text/page-text.ts). */
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
  /** Who resolved it and when, while it is resolved (shared comments resolved since issue 31). */
  resolvedBy?: Author;
  resolvedAt?: string;
  deleted: boolean;
  target: Target;
  /**
   * User ids of the people a shared comment mentions (`@name`), as the server kept them: only
   * people who can see the comment; absent when it mentions nobody.
   */
  mentions?: string[];
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
  /** Shared comments only: whom it mentions (the server drops anyone who cannot see the comment). */
  mentions?: string[];
}

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const HASH_PATTERN = /^[0-9a-f]{16}$/;
/** Pages of a packet, and any page number a note names. */
const MAX_PAGE = 100_000;

export function isAnnotationId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/*
 * The schemas of what crosses a trust boundary: a client's proposal (protocol/http-api.ts builds
 * the request bodies from these), a room's content (annotation-doc.ts), an import. Each is checked
 * against the interface above, so the two cannot drift apart. Messages follow the field's path
 * (model/validation.ts).
 */

export const AnnotationIdSchema = matching(ID_PATTERN, 'must match [A-Za-z0-9_-]{1,128}');

const PageSchema = whole(1, MAX_PAGE, 'must be a page number (1 or more)');
const OffsetSchema = whole(0, Number.POSITIVE_INFINITY, 'must be a whole number (0 or more)');

const AgendaRefSchema: v.GenericSchema<unknown, AgendaRef> = jsonObject(
  {
    number: OffsetSchema,
    title: text(AnnotationLimits.titleMaxChars, `must be text of at most ${AnnotationLimits.titleMaxChars} characters`),
    label: v.optional(text(AnnotationLimits.labelMaxChars, `must be text of at most ${AnnotationLimits.labelMaxChars} characters`)),
  },
  'must be {number, title}',
);

const context = v.optional(
  text(AnnotationLimits.contextChars, `must be text that does not exceed ${AnnotationLimits.contextChars} characters`),
  '',
);

const QuoteSelectorSchema = v.object({
  type: v.literal('TextQuoteSelector'),
  exact: v.custom<string>(
    (x) => typeof x === 'string' && x.length > 0 && x.length <= AnnotationLimits.quoteMaxChars,
    `must be non-empty text of at most ${AnnotationLimits.quoteMaxChars} characters`,
  ),
  prefix: context,
  suffix: context,
});

const PositionSelectorSchema = v.pipe(
  v.object({ type: v.literal('TextPositionSelector'), start: OffsetSchema, end: OffsetSchema }),
  v.forward(
    v.check((s) => s.end >= s.start, 'must be a whole number with start <= end'),
    ['end'],
  ),
);

/** Refuses every value (at its `type`, or whole when it is not an object), so what it would output is never seen. */
const refuse = (schema: v.GenericSchema): v.GenericSchema<unknown, Selector> => schema as unknown as v.GenericSchema<unknown, Selector>;
const NoSelectorSchema = refuse(v.object({ type: v.never('must be TextQuoteSelector or TextPositionSelector') }));
const NotObjectSchema = refuse(v.custom(() => false, 'must be an object'));

/** Chosen by `type` before anything else is looked at (a valibot `variant` tries each): room reads check thousands of these. */
const SelectorSchema = v.lazy((selector): v.GenericSchema<unknown, Selector> => {
  if (!isJsonObject(selector)) return NotObjectSchema;
  if (selector.type === 'TextQuoteSelector') return QuoteSelectorSchema;
  return selector.type === 'TextPositionSelector' ? PositionSelectorSchema : NoSelectorSchema;
});

const fractionOfPage = fraction('must be between 0 and 1: x, y, w and h are fractions of the page');

const RegionSchema: v.GenericSchema<unknown, Region> = jsonObject(
  { page: PageSchema, x: fractionOfPage, y: fractionOfPage, w: fractionOfPage, h: fractionOfPage },
  'must be an object {page, x, y, w, h}',
);

const PagePrintSchema: v.GenericSchema<unknown, PagePrint> = jsonObject(
  {
    hash: matching(HASH_PATTERN, 'must be 16 hex digits'),
    nearest: whole(0, 64, 'must be a whole number of bits from 0 to 64'),
  },
  'must be an object {hash, nearest}',
);

const PageIdentitySchema: v.GenericSchema<unknown, PageIdentity> = jsonObject(
  { text: v.optional(PagePrintSchema), image: v.optional(PagePrintSchema) },
  'must be an object',
);

const VersionSchema = text(200, 'must be a short string');

/** What a note's place is made of, in the version it was made on and in any other. */
const placeEntries = {
  page: PageSchema,
  agendaItem: v.optional(v.nullable(AgendaRefSchema)),
  attachment: v.optional(v.nullable(AgendaRefSchema)),
  selectors: v.optional(
    v.pipe(
      v.array(SelectorSchema, `must be an array of at most ${AnnotationLimits.selectorsMax}`),
      v.maxLength(AnnotationLimits.selectorsMax, `must be an array of at most ${AnnotationLimits.selectorsMax}`),
    ),
  ),
  region: v.optional(RegionSchema),
  pageIdentity: v.optional(PageIdentitySchema),
};

/** A note's place in a version other than the one it was made on: it names the version and holds no places. */
const VersionPlaceSchema: v.GenericSchema<unknown, VersionPlace> = jsonObject(
  { packetVersion: VersionSchema, ...placeEntries, places: v.optional(v.never('cannot hold places of its own')) },
  'must be an object',
);

export const TargetSchema: v.GenericSchema<unknown, Target> = jsonObject(
  {
    packetVersion: v.optional(VersionSchema),
    ...placeEntries,
    places: v.optional(
      v.pipe(
        v.array(VersionPlaceSchema, `must be an array of at most ${AnnotationLimits.placesMax}`),
        v.maxLength(AnnotationLimits.placesMax, `must be an array of at most ${AnnotationLimits.placesMax}`),
      ),
    ),
  },
  'must be an object',
);

export const BodySchema = v.pipe(
  v.string('must be text'),
  v.maxLength(AnnotationLimits.bodyMaxChars, `exceeds ${AnnotationLimits.bodyMaxChars} characters`),
);

/** User ids a comment mentions: each once, at most AnnotationLimits.mentionsMax (more is a 400, not a silent cut). */
export const MentionsSchema = v.pipe(
  v.array(matching(ID_PATTERN, 'must be a user id'), `must be a list of at most ${AnnotationLimits.mentionsMax} user ids`),
  v.maxLength(AnnotationLimits.mentionsMax, `must name at most ${AnnotationLimits.mentionsMax} people`),
  v.transform((ids) => [...new Set(ids)]),
);

export const HexColorSchema = matching(COLOR_PATTERN, 'must look like #a1b2c3');

/** A new annotation's colour: none (null) unless given. */
export const ColorSchema = v.nullish(HexColorSchema, null);

/** Tags, none when absent or null. */
export const TagsSchema = v.nullish(
  v.pipe(
    v.array(
      v.custom<string>(
        (x) => typeof x === 'string' && x.length > 0 && x.length <= AnnotationLimits.tagMaxChars,
        'must be short non-empty text',
      ),
      `must be an array of at most ${AnnotationLimits.tagsMax}`,
    ),
    v.maxLength(AnnotationLimits.tagsMax, `must be an array of at most ${AnnotationLimits.tagsMax}`),
  ),
  () => [],
);

/** A target from a room or an import: the checked value, or what is wrong with it, named from `target` (`target.page must be …`). */
export function parseTarget(value: unknown): Result<Target> {
  const result = v.safeParse(TargetSchema, value);
  return result.success
    ? ok(result.output)
    : fail(describeIssue({ ...result.issues[0], path: ['target', ...(result.issues[0].path ?? [])] }, 'target'));
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
