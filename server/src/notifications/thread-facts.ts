/**
 * What a room says about a comment's thread, read inside the change that wrote it (so it is the
 * room as written). Only the three fields a thread needs are read from each entry, not whole
 * annotations: a reply in a room of thousands of comments costs a pass over plain fields.
 */
import type { Annotation } from '@randnoter/shared/model/annotation';
import { annotationsOf } from '@randnoter/shared/model/annotation-doc';
import { AnnotationField as F } from '@randnoter/shared/model/doc-keys';
import * as Y from 'yjs';
import type { CommentFacts } from './recipients.ts';

function authorIdOf(entry: Y.Map<unknown>): string | null {
  const author = entry.get(F.author) as { id?: unknown } | null | undefined;
  return typeof author?.id === 'string' ? author.id : null;
}

export function threadFacts(doc: Y.Doc, comment: Annotation): CommentFacts {
  const authorId = comment.author?.id ?? '';
  const mentions = comment.mentions ?? [];
  if (comment.kind !== 'reply' || comment.replyTo === null) return { authorId, mentions, parentAuthorId: null, threadAuthorIds: [] };
  const annotations = annotationsOf(doc);
  const parent = annotations.get(comment.replyTo);
  const parentAuthorId = parent instanceof Y.Map && parent.get(F.deleted) !== true ? authorIdOf(parent) : null;
  const threadAuthorIds = new Set<string>();
  for (const [id, entry] of annotations) {
    if (id === comment.id || !(entry instanceof Y.Map) || entry.get(F.replyTo) !== comment.replyTo || entry.get(F.deleted) === true)
      continue;
    const author = authorIdOf(entry);
    if (author) threadAuthorIds.add(author);
  }
  return { authorId, mentions, parentAuthorId, threadAuthorIds: [...threadAuthorIds] };
}
