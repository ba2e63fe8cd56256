/**
 * W3C Web Annotation (JSON-LD) mapping, both ways: the format for exports, for the server's
 * annotation listing, and the input of `randnoter anchor` / `randnoter export`.
 * https://www.w3.org/TR/annotation-model/ — ids are IRIs, pages are RFC 3778 fragments (`page=N`).
 */
import {
  type AgendaRef,
  type Annotation,
  AnnotationLimits,
  isAnnotationId,
  type PageIdentity,
  parseTarget,
  type Target,
} from './annotation.ts';
import { fail, ok, type Result } from './result.ts';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
const RANDNOTER_NS = 'https://randnoter.dk/ns#';
const CONTEXT = [ANNO_CONTEXT, { randnoter: RANDNOTER_NS }] as const;
const ANNOTATION_IRI = 'urn:randnoter:annotation:';
const USER_IRI = 'urn:randnoter:user:';
export const RFC3778 = 'http://tools.ietf.org/rfc/rfc3778';

export interface WebAnnotation {
  '@context': unknown;
  id: string;
  type: 'Annotation';
  motivation: 'commenting' | 'replying';
  created?: string;
  modified?: string;
  creator?: { id: string; type: 'Person'; name: string };
  body: Array<{ type: 'TextualBody'; value: string; format?: string; purpose: 'commenting' | 'replying' | 'tagging' }>;
  /** A reply targets the comment it answers and, as a SpecificResource, the text that comment is on. */
  target: WebTarget | [string, WebTarget];
  'randnoter:kind': Annotation['kind'];
  'randnoter:resolved'?: boolean;
  'randnoter:agendaItem'?: AgendaRef | null;
  'randnoter:attachment'?: AgendaRef | null;
  'randnoter:status'?: string;
  /** What the page of a page or region note was (Target.pageIdentity), to find it in another version. */
  'randnoter:pageIdentity'?: PageIdentity;
}

interface WebTarget {
  source: string;
  selector: Array<Record<string, unknown>>;
}

export interface AnnotationCollection {
  '@context': unknown;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: WebAnnotation[] };
}

const annotationIri = (id: string) => ANNOTATION_IRI + id;

/** xsd:dateTime with a time zone, as the W3C model wants `created` and `modified`. */
const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isXsdDateTime = (v: string) => XSD_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));

function webSelectors(target: Target): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const s of target.selectors ?? []) out.push({ ...s });
  const region = target.region;
  out.push({
    type: 'FragmentSelector',
    conformsTo: RFC3778,
    value: region
      ? `page=${target.page}&viewrect=${[region.x, region.y, region.w, region.h].map((v) => Math.round(v * 10000) / 10000).join(',')}`
      : `page=${target.page}`,
  });
  return out;
}

/** One annotation as W3C JSON-LD. `source` names the document (its URL or `urn:x-pdf:`). */
export function toWebAnnotation(a: Annotation, source: string, extra: { status?: string } = {}): WebAnnotation {
  const bodies: WebAnnotation['body'] = [
    { type: 'TextualBody', value: a.body, format: 'text/markdown', purpose: a.kind === 'reply' ? 'replying' : 'commenting' },
  ];
  for (const tag of a.tags) bodies.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  const target: WebTarget = { source: a.target.packetVersion ?? source, selector: webSelectors(a.target) };
  const web: WebAnnotation = {
    '@context': CONTEXT,
    id: annotationIri(a.id),
    type: 'Annotation',
    motivation: a.kind === 'reply' ? 'replying' : 'commenting',
    body: bodies,
    target: a.kind === 'reply' && a.replyTo ? [annotationIri(a.replyTo), target] : target,
    'randnoter:kind': a.kind,
  };
  // Times from foreign input may be anything; the model allows only xsd:dateTime, so others are left out.
  if (isXsdDateTime(a.created)) web.created = a.created;
  if (isXsdDateTime(a.modified)) web.modified = a.modified;
  if (a.author) web.creator = { id: USER_IRI + a.author.id, type: 'Person', name: a.author.name };
  if (a.resolved) web['randnoter:resolved'] = true;
  if (a.target.agendaItem !== undefined) web['randnoter:agendaItem'] = a.target.agendaItem;
  if (a.target.attachment !== undefined) web['randnoter:attachment'] = a.target.attachment;
  if (a.target.pageIdentity) web['randnoter:pageIdentity'] = a.target.pageIdentity;
  if (extra.status) web['randnoter:status'] = extra.status;
  return web;
}

export function toCollection(annotations: readonly WebAnnotation[], id: string, label: string): AnnotationCollection {
  return {
    '@context': CONTEXT,
    id,
    type: 'AnnotationCollection',
    label,
    total: annotations.length,
    first: { id: `${id}#page-1`, type: 'AnnotationPage', startIndex: 0, items: [...annotations] },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function idFromIri(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const tail = v.startsWith(ANNOTATION_IRI) ? v.slice(ANNOTATION_IRI.length) : (v.split(/[/#:]/).pop() ?? '');
  const id = tail.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, AnnotationLimits.idMaxChars);
  return isAnnotationId(id) ? id : null;
}

function pageOf(selectors: unknown[]): number | null {
  for (const s of selectors) {
    if (isObject(s) && s.type === 'FragmentSelector' && typeof s.value === 'string') {
      const match = /(?:^|&)page=(\d+)/.exec(s.value);
      if (match) return Number(match[1]);
    }
  }
  return null;
}

/**
 * Reads W3C annotations (an array, one annotation, or an AnnotationCollection / AnnotationPage)
 * into Randnoter annotations. A reply without its own page takes its parent's. Errors name the
 * annotation (by position) and what is wrong.
 */
export function fromWebAnnotations(input: unknown): Result<Annotation[]> {
  const items = collectItems(input);
  if (!items) return fail('expected a W3C annotation, an array of them, or an AnnotationCollection');
  const out: Annotation[] = [];
  const replyTargets = new Map<Annotation, Target | null>();
  for (const [i, item] of items.entries()) {
    const parsed = fromWebAnnotation(item, i);
    if (!parsed.ok) return parsed;
    out.push(parsed.value.annotation);
    if (parsed.value.annotation.kind === 'reply') replyTargets.set(parsed.value.annotation, parsed.value.replyTarget);
  }
  const byId = new Map(out.map((a) => [a.id, a]));
  for (const [a, own] of replyTargets) {
    // A reply is about what its comment is about: the comment's place wins, the reply's own copy is the fallback.
    const parent = a.replyTo ? byId.get(a.replyTo) : undefined;
    const target = parent && !replyTargets.has(parent) ? parent.target : (own ?? (parent ? replyTargets.get(parent) : null));
    if (!target) return fail(`reply ${a.id} points to an annotation that is not in the input`);
    a.target = { ...target };
  }
  return ok(out);
}

function collectItems(input: unknown): unknown[] | null {
  if (Array.isArray(input)) return input;
  if (!isObject(input)) return null;
  if (input.type === 'AnnotationCollection') {
    const first = input.first;
    if (isObject(first)) return asArray(first.items);
    return asArray(input.items);
  }
  if (input.type === 'AnnotationPage') return asArray(input.items);
  if (input.type === 'Annotation') return [input];
  return null;
}

function fromWebAnnotation(v: unknown, index: number): Result<{ annotation: Annotation; replyTarget: Target | null }> {
  const where = `annotation ${index + 1}`;
  if (!isObject(v) || v.type !== 'Annotation') return fail(`${where}: type must be "Annotation"`);
  const id = idFromIri(v.id);
  if (!id) return fail(`${where}: id must be an IRI`);
  const bodies = asArray(v.body).filter(isObject);
  const main = bodies.find((b) => b.purpose !== 'tagging');
  const text = typeof main?.value === 'string' ? main.value : typeof v.bodyValue === 'string' ? v.bodyValue : '';
  if (text.length > AnnotationLimits.bodyMaxChars) return fail(`${where}: body exceeds ${AnnotationLimits.bodyMaxChars} characters`);
  const tags = bodies.filter((b) => b.purpose === 'tagging' && typeof b.value === 'string').map((b) => b.value as string);
  const declaredKind = v['randnoter:kind'];
  const targets = asArray(v.target);
  const rawTarget = targets[0];
  let kind: Annotation['kind'] = declaredKind === 'comment' || declaredKind === 'reply' ? declaredKind : 'note';
  let replyTo: string | null = null;
  let target: Target;
  let replyTarget: Target | null = null;
  if (typeof rawTarget === 'string' || (isObject(rawTarget) && rawTarget.type === 'Annotation')) {
    // A reply targets the annotation it answers (and may also name the text that one is on).
    replyTo = idFromIri(typeof rawTarget === 'string' ? rawTarget : rawTarget.id);
    if (!replyTo) return fail(`${where}: target must name a document or an annotation`);
    kind = 'reply';
    target = { page: 0 };
    const specific = targets.slice(1).find((t) => isObject(t) && t.type !== 'Annotation');
    if (specific !== undefined) {
      const parsed = parseWebTarget(specific, v);
      if (!parsed.ok) return fail(`${where}: ${parsed.error}`);
      replyTarget = parsed.value;
    }
  } else {
    const parsed = parseWebTarget(rawTarget, v);
    if (!parsed.ok) return fail(`${where}: ${parsed.error}`);
    target = parsed.value;
  }
  const creator = asArray(v.creator)[0];
  const author =
    isObject(creator) && typeof creator.name === 'string' ? { id: idFromIri(creator.id) ?? 'unknown', name: creator.name } : null;
  const annotation: Annotation = {
    id,
    kind,
    replyTo,
    author,
    created: typeof v.created === 'string' ? v.created : '',
    modified: typeof v.modified === 'string' ? v.modified : typeof v.created === 'string' ? v.created : '',
    body: text,
    color: null,
    tags,
    resolved: v['randnoter:resolved'] === true,
    deleted: false,
    target,
  };
  return ok({ annotation, replyTarget });
}

/** A SpecificResource: its page (RFC 3778 fragment) and text selectors. */
function parseWebTarget(rawTarget: unknown, v: Json): Result<Target> {
  if (!isObject(rawTarget)) return fail('target is missing');
  const selectors = asArray(rawTarget.selector).flatMap((s) => (isObject(s) && s.type === 'Choice' ? asArray(s.items) : [s]));
  const page = pageOf(selectors) ?? (typeof v['randnoter:page'] === 'number' ? (v['randnoter:page'] as number) : null);
  const textSelectors = selectors.filter(
    (s): s is Json => isObject(s) && (s.type === 'TextQuoteSelector' || s.type === 'TextPositionSelector'),
  );
  if (page === null && textSelectors.length === 0) return fail('target needs a TextQuoteSelector or a FragmentSelector page=N');
  // Without a page fragment, the page is found by anchoring; 1 is only a starting hint.
  return parseTarget({
    page: page ?? 1,
    selectors: textSelectors.map((s) =>
      s.type === 'TextQuoteSelector'
        ? { type: s.type, exact: s.exact, prefix: clip(s.prefix, 'end'), suffix: clip(s.suffix, 'start') }
        : { type: s.type, start: s.start, end: s.end },
    ),
    ...(typeof rawTarget.source === 'string' && rawTarget.source.startsWith('urn:x-pdf:') ? { packetVersion: rawTarget.source } : {}),
    ...(v['randnoter:agendaItem'] !== undefined ? { agendaItem: v['randnoter:agendaItem'] } : {}),
    ...(v['randnoter:attachment'] !== undefined ? { attachment: v['randnoter:attachment'] } : {}),
    ...(v['randnoter:pageIdentity'] !== undefined ? { pageIdentity: v['randnoter:pageIdentity'] } : {}),
  });
}

/** Context longer than we keep is trimmed on the side away from the quote. */
function clip(v: unknown, keep: 'start' | 'end'): string {
  if (typeof v !== 'string') return '';
  const max = AnnotationLimits.contextChars;
  return v.length <= max ? v : keep === 'end' ? v.slice(-max) : v.slice(0, max);
}
