/**
 * Reading and writing annotations in a Y.Doc. Each annotation is a Y.Map of fields so that
 * concurrent edits of different fields (body on one device, resolved on another) both survive.
 * Deletes are tombstones (`deleted: true`) so a delete merges with an offline edit.
 */
import * as Y from 'yjs';
import { type Annotation, type AnnotationDraft, AnnotationLimits, type Author, isAnnotationId, parseTarget } from './annotation.ts';
import { DocKey, AnnotationField as F } from './doc-keys.ts';

export type AnnotationMap = Y.Map<unknown>;

export function annotationsOf(doc: Y.Doc): Y.Map<AnnotationMap> {
  return doc.getMap<AnnotationMap>(DocKey.annotations);
}

/** Adds a new annotation; an existing id is left untouched (ids are idempotency keys). Returns false if it existed. */
export function insertAnnotation(doc: Y.Doc, draft: AnnotationDraft, author: Author | null, now: string): boolean {
  const annotations = annotationsOf(doc);
  if (annotations.has(draft.id)) return false;
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    annotations.set(draft.id, entry);
    entry.set(F.id, draft.id);
    entry.set(F.kind, draft.kind);
    entry.set(F.replyTo, draft.replyTo);
    entry.set(F.author, author);
    entry.set(F.created, now);
    entry.set(F.modified, now);
    entry.set(F.body, draft.body);
    entry.set(F.color, draft.color);
    entry.set(F.tags, draft.tags);
    entry.set(F.resolved, false);
    entry.set(F.deleted, false);
    entry.set(F.target, draft.target);
    if (draft.mentions && draft.mentions.length > 0) entry.set(F.mentions, draft.mentions);
  });
  return true;
}

/**
 * Writes an annotation as it was read, author, times and state included: what moving it from one
 * room to another needs (a closed agenda item's room and the group's open room). An existing id
 * is left untouched. Returns false if it existed.
 */
export function copyAnnotation(doc: Y.Doc, annotation: Annotation): boolean {
  const { id, kind, replyTo, author, created, modified, body, color, tags, resolved, deleted, target, mentions } = annotation;
  if (!insertAnnotation(doc, { id, kind, replyTo, body, color, tags, target, ...(mentions ? { mentions } : {}) }, author, created))
    return false;
  const entry = annotationsOf(doc).get(id) as AnnotationMap;
  doc.transact(() => {
    entry.set(F.modified, modified);
    entry.set(F.resolved, resolved);
    entry.set(F.deleted, deleted);
  });
  return true;
}

export interface AnnotationPatch {
  body?: string;
  resolved?: boolean;
  color?: string | null;
  tags?: string[];
  deleted?: true;
  /** Whom a shared comment mentions, replaced whole. */
  mentions?: string[];
  /** For re-attaching a note after a new packet version. */
  target?: Annotation['target'];
}

/** Applies the fields present in `patch`; returns false when the annotation does not exist. */
export function patchAnnotation(doc: Y.Doc, id: string, patch: AnnotationPatch, now: string): boolean {
  const entry = annotationsOf(doc).get(id);
  if (!entry) return false;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) entry.set(key, value);
    }
    entry.set(F.modified, now);
  });
  return true;
}

/**
 * Resolves or reopens, saying who and when. `modified` stays: it is when the words were last
 * written, which resolving does not change (the card shows it).
 */
export function setResolved(doc: Y.Doc, id: string, resolved: boolean, by: Author, now: string): boolean {
  const entry = annotationsOf(doc).get(id);
  if (!entry) return false;
  doc.transact(() => {
    entry.set(F.resolved, resolved);
    entry.set(F.resolvedBy, resolved ? { id: by.id, name: by.name } : null);
    entry.set(F.resolvedAt, resolved ? now : null);
  });
  return true;
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** Mentions as stored: user ids only, at most the limit (a hostile or older entry yields what is well-formed). */
function readMentions(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((id): id is string => isAnnotationId(id)).slice(0, AnnotationLimits.mentionsMax);
}

function readAuthor(v: unknown): Author | null {
  if (typeof v !== 'object' || v === null) return null;
  const { id, name } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

/**
 * A stored target is a plain JSON value that Yjs hands back as the same object until the field is
 * set again, so its check (a schema walk, ~1.5 µs) is done once per object, not at every redraw.
 * Pure memo of a pure function: entries go with their objects.
 */
const checkedTargets = new WeakMap<object, ReturnType<typeof parseTarget>>();

function readTarget(value: unknown): ReturnType<typeof parseTarget> {
  if (typeof value !== 'object' || value === null) return parseTarget(value);
  let checked = checkedTargets.get(value);
  if (!checked) {
    checked = parseTarget(value);
    checkedTargets.set(value, checked);
  }
  return checked;
}

/**
 * Reads one annotation defensively: a doc may hold entries written by older or hostile clients
 * (private rooms accept any Yjs update from their owner), so malformed entries yield null.
 */
export function readAnnotation(entry: AnnotationMap): Annotation | null {
  if (!(entry instanceof Y.Map)) return null;
  const id = entry.get(F.id);
  const kind = entry.get(F.kind);
  if (!isAnnotationId(id) || (kind !== 'note' && kind !== 'comment' && kind !== 'reply')) return null;
  const target = readTarget(entry.get(F.target));
  if (!target.ok) return null;
  const replyTo = entry.get(F.replyTo);
  const tags = entry.get(F.tags);
  const color = entry.get(F.color);
  const resolved = entry.get(F.resolved) === true;
  const resolvedBy = resolved ? readAuthor(entry.get(F.resolvedBy)) : null;
  const resolvedAt = entry.get(F.resolvedAt);
  const mentions = readMentions(entry.get(F.mentions));
  return {
    id,
    kind,
    replyTo: isAnnotationId(replyTo) ? replyTo : null,
    author: readAuthor(entry.get(F.author)),
    created: str(entry.get(F.created)),
    modified: str(entry.get(F.modified)),
    body: str(entry.get(F.body)),
    color: typeof color === 'string' ? color : null,
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    resolved,
    ...(resolvedBy ? { resolvedBy } : {}),
    ...(resolvedBy && typeof resolvedAt === 'string' ? { resolvedAt } : {}),
    deleted: entry.get(F.deleted) === true,
    target: target.value,
    ...(mentions.length > 0 ? { mentions } : {}),
  };
}

/** All well-formed annotations, tombstones included (callers decide whether to show them). */
export function readAnnotations(doc: Y.Doc): Annotation[] {
  const out: Annotation[] = [];
  for (const entry of annotationsOf(doc).values()) {
    const annotation = readAnnotation(entry);
    if (annotation) out.push(annotation);
  }
  return out;
}

export function liveAnnotations(doc: Y.Doc): Annotation[] {
  return readAnnotations(doc).filter((a) => !a.deleted);
}
