/** What a room says about a comment's thread, read inside the change that wrote it (so it is the room as written). */
import type { Annotation } from '@randnoter/shared/model/annotation';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import type * as Y from 'yjs';
import type { CommentFacts } from './recipients.ts';

export function threadFacts(doc: Y.Doc, comment: Annotation): CommentFacts {
  const authorId = comment.author?.id ?? '';
  const mentions = comment.mentions ?? [];
  if (comment.kind !== 'reply' || comment.replyTo === null) return { authorId, mentions, parentAuthorId: null, threadAuthorIds: [] };
  const all = readAnnotations(doc);
  const parent = all.find((a) => a.id === comment.replyTo);
  const threadAuthorIds = new Set<string>();
  for (const a of all) {
    if (a.replyTo === comment.replyTo && a.id !== comment.id && !a.deleted && a.author) threadAuthorIds.add(a.author.id);
  }
  return {
    authorId,
    mentions,
    parentAuthorId: parent && !parent.deleted ? (parent.author?.id ?? null) : null,
    threadAuthorIds: [...threadAuthorIds],
  };
}
