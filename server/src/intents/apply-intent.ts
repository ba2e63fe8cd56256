/**
 * Shared-room intents: the server is the only writer of shared rooms, so authorship and
 * timestamps come from the token and the server clock, and only an author may change a comment.
 * Each function runs inside Room.change(): it reads and writes the live doc, and throwing a
 * Refusal refuses the intent without writing anything.
 */

import type { Annotation, AnnotationDraft, Author } from '@randnoter/shared/model/annotation';
import { annotationsOf, insertAnnotation, patchAnnotation, readAnnotation, setResolved } from '@randnoter/shared/model/annotation-doc';
import type * as Y from 'yjs';
import { Refusal, RefusalKind } from '../refusal.ts';
import { entryChars, type SharedRoomQuotas } from './author-usage.ts';

export type IntentOutcome = { status: 200 | 201; annotation: Annotation };

function existing(doc: Y.Doc, id: string): Annotation | null {
  const entry = annotationsOf(doc).get(id);
  return entry ? readAnnotation(entry) : null;
}

function mustFind(doc: Y.Doc, id: string): Annotation {
  const found = existing(doc, id);
  if (!found || found.deleted) throw new Refusal(RefusalKind.notFound, 'no such annotation');
  return found;
}

export function createInShared(doc: Y.Doc, draft: AnnotationDraft, author: Author, now: string, quotas: SharedRoomQuotas): IntentOutcome {
  if (draft.kind === 'note')
    throw new Refusal(RefusalKind.invalid, 'kind must be comment or reply in a shared room; private notes live in the notes room');
  const previous = existing(doc, draft.id);
  if (previous) {
    // Same id again is a retry (the client lost our answer); from someone else it is a clash.
    if (previous.author?.id !== author.id) throw new Refusal(RefusalKind.conflict, 'an annotation with this id already exists');
    return { status: 200, annotation: previous };
  }
  if (draft.kind === 'reply') mustFind(doc, draft.replyTo as string);
  quotas.admit(doc, author.id, { comments: 1, chars: entryChars(draft) });
  insertAnnotation(doc, draft, author, now);
  return { status: 201, annotation: existing(doc, draft.id) as Annotation };
}

export interface SharedPatch {
  body?: string;
  resolved?: boolean;
  color?: string | null;
  tags?: string[];
  /** Whom the comment mentions (already only people who can see it), replaced whole. */
  mentions?: string[];
}

/** `user`: who asks (their id and the server's name for them, recorded when they resolve). */
export function editInShared(
  doc: Y.Doc,
  id: string,
  patch: SharedPatch,
  user: Author,
  now: string,
  quotas: SharedRoomQuotas,
): IntentOutcome {
  const userId = user.id;
  const current = mustFind(doc, id);
  const editsContent = patch.body !== undefined || patch.color !== undefined || patch.tags !== undefined || patch.mentions !== undefined;
  // Resolving is group housekeeping any member may do; changing the words is the author's alone.
  if (editsContent && current.author?.id !== userId) throw new Refusal(RefusalKind.forbidden, 'only the author may edit this comment');
  const grows = entryChars({ ...current, ...patch }) - entryChars(current);
  if (grows > 0) quotas.admit(doc, userId, { comments: 0, chars: grows });
  const { resolved, ...content } = patch;
  doc.transact(() => {
    // Resolving says who and when, and leaves the comment's own time as it was.
    if (resolved !== undefined && resolved !== current.resolved) setResolved(doc, id, resolved, user, now);
    if (Object.values(content).some((v) => v !== undefined)) patchAnnotation(doc, id, content, now);
  });
  return { status: 200, annotation: existing(doc, id) as Annotation };
}

export function deleteInShared(doc: Y.Doc, id: string, userId: string, now: string): IntentOutcome {
  const current = existing(doc, id);
  if (!current) throw new Refusal(RefusalKind.notFound, 'no such annotation');
  if (current.author?.id !== userId) throw new Refusal(RefusalKind.forbidden, 'only the author may delete this comment');
  return tombstone(doc, current, now);
}

/** An administrator's removal: any author's comment. */
export function removeInShared(doc: Y.Doc, id: string, now: string): IntentOutcome {
  const current = existing(doc, id);
  if (!current) throw new Refusal(RefusalKind.notFound, 'no such annotation');
  return tombstone(doc, current, now);
}

function tombstone(doc: Y.Doc, current: Annotation, now: string): IntentOutcome {
  // The words, the quote and the tags go with the delete (gone from storage at the next
  // compaction); the tombstone keeps the id so offline copies merge to deleted.
  if (!current.deleted) patchAnnotation(doc, current.id, { deleted: true, body: '', tags: [], target: { page: current.target.page } }, now);
  return { status: 200, annotation: existing(doc, current.id) as Annotation };
}
