/**
 * The MUST constraints of the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/)
 * that a Randnoter export relies on, as a checker: returns what is violated, empty when valid.
 * Beyond the model, Randnoter's contract asks every annotation on text to name its quote, its
 * position and its page (TextQuoteSelector, TextPositionSelector, RFC 3778 FragmentSelector).
 */
const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
const RFC3778 = 'http://tools.ietf.org/rfc/rfc3778';
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function contextViolations(v: Json, where: string): string[] {
  const contexts = asArray(v['@context']);
  return contexts.includes(ANNO_CONTEXT) ? [] : [`${where}: @context must include ${ANNO_CONTEXT}`];
}

function selectorViolations(selector: unknown, where: string): string[] {
  if (!isObject(selector)) return [`${where}: a selector must be an object`];
  if (selector.type === 'TextQuoteSelector')
    return typeof selector.exact === 'string' ? [] : [`${where}: TextQuoteSelector needs exactly one exact`];
  if (selector.type === 'TextPositionSelector') {
    const ok =
      Number.isInteger(selector.start) &&
      Number.isInteger(selector.end) &&
      (selector.start as number) >= 0 &&
      (selector.end as number) >= 0;
    return ok ? [] : [`${where}: TextPositionSelector needs non-negative integer start and end`];
  }
  if (selector.type === 'FragmentSelector') {
    if (typeof selector.value !== 'string') return [`${where}: FragmentSelector needs exactly one value`];
    if (selector.conformsTo === RFC3778 && !/^page=\d+(&|$)/.test(selector.value)) return [`${where}: RFC 3778 fragment must be page=N`];
    return [];
  }
  return [];
}

/** Violations of one annotation; `requireTextSelectors` also asks for quote, position and page. */
function annotationViolations(a: unknown, where = 'annotation', requireTextSelectors = true): string[] {
  if (!isObject(a)) return [`${where}: must be an object`];
  const out = contextViolations(a, where);
  if (typeof a.id !== 'string' || !IRI.test(a.id)) out.push(`${where}: id must be exactly one IRI`);
  if (!asArray(a.type).includes('Annotation')) out.push(`${where}: type must include Annotation`);
  const targets = asArray(a.target);
  if (targets.length === 0) out.push(`${where}: must have at least one target`);
  const specific = targets.filter(isObject);
  for (const t of targets) if (typeof t === 'string' && !IRI.test(t)) out.push(`${where}: a target given as a string must be an IRI`);
  for (const t of specific) {
    if (asArray(t.source).length !== 1 || typeof t.source !== 'string' || !IRI.test(t.source))
      out.push(`${where}: a SpecificResource needs exactly one source IRI`);
    for (const s of asArray(t.selector)) out.push(...selectorViolations(s, where));
  }
  if (requireTextSelectors) {
    const types = new Set(
      specific.flatMap((t) =>
        asArray(t.selector)
          .filter(isObject)
          .map((s) => s.type),
      ),
    );
    for (const type of ['TextQuoteSelector', 'TextPositionSelector', 'FragmentSelector'])
      if (!types.has(type)) out.push(`${where}: target has no ${type}`);
  }
  for (const body of asArray(a.body)) {
    if (isObject(body) && body.type === 'TextualBody' && typeof body.value !== 'string')
      out.push(`${where}: a TextualBody needs exactly one value`);
  }
  for (const key of ['created', 'modified'] as const) {
    if (a[key] !== undefined && (typeof a[key] !== 'string' || !XSD_DATE_TIME.test(a[key] as string)))
      out.push(`${where}: ${key} must be an xsd:dateTime`);
  }
  for (const creator of asArray(a.creator)) {
    if (isObject(creator) && creator.id !== undefined && (typeof creator.id !== 'string' || !IRI.test(creator.id)))
      out.push(`${where}: creator id must be an IRI`);
  }
  return out;
}

/** Violations of an AnnotationCollection with its first page embedded, and of every annotation in it. */
export function collectionViolations(c: unknown, requireTextSelectors: (a: Json) => boolean = () => true): string[] {
  if (!isObject(c)) return ['collection: must be an object'];
  const out = contextViolations(c, 'collection');
  if (typeof c.id !== 'string' || !IRI.test(c.id)) out.push('collection: id must be an IRI');
  if (!asArray(c.type).includes('AnnotationCollection')) out.push('collection: type must be AnnotationCollection');
  const first = c.first;
  if (!isObject(first)) return [...out, 'collection: first page missing'];
  if (typeof first.id !== 'string' || !IRI.test(first.id)) out.push('page: id must be an IRI');
  if (first.type !== 'AnnotationPage') out.push('page: type must be AnnotationPage');
  const items = asArray(first.items);
  if (!Array.isArray(first.items)) out.push('page: must have exactly one items list');
  if (c.total !== undefined && c.total !== items.length) out.push('collection: total must count the annotations');
  for (const [i, item] of items.entries())
    out.push(...annotationViolations(item, `annotation ${i + 1}`, isObject(item) && requireTextSelectors(item)));
  return out;
}
