import { insertAnnotation, readAnnotations, setResolved } from '@randnoter/shared/model/annotation-doc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ERASED_BODY, eraseAuthor } from './erase-author.ts';

const anne = { id: 'anne', name: 'Anne Jensen' };
const bo = { id: 'bo', name: 'Bo Hansen' };
const at = '2026-01-01T10:00:00Z';

function stored(doc: Y.Doc) {
  return { snapshot: null, updates: [Y.encodeStateAsUpdate(doc)], seq: 1, bytes: 0 };
}

describe('eraseAuthor', () => {
  it('leaves a placeholder without author where the user wrote, their name nowhere, and everything else as it was', () => {
    const doc = new Y.Doc();
    doc.getMap('packet').set('title', 'Socialudvalget');
    insertAnnotation(
      doc,
      { id: 'c1', kind: 'comment', replyTo: null, body: 'hemmeligt', color: '#ff0000', tags: ['x'], target: { page: 2 } },
      anne,
      at,
    );
    insertAnnotation(doc, { id: 'r1', kind: 'reply', replyTo: 'c1', body: 'Enig', color: null, tags: [], target: { page: 2 } }, bo, at);
    setResolved(doc, 'r1', true, anne, at);
    // Edited once: the old words are in the document's history, not only in its current state.
    doc.getMap<Y.Map<unknown>>('annotations').get('c1')?.set('body', 'hemmeligt igen');

    const result = eraseAuthor(stored(doc), 'anne');
    expect(result?.erased).toBe(1);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, result?.state as Uint8Array);
    const [c1, r1] = readAnnotations(fresh);
    expect(c1).toMatchObject({ id: 'c1', author: null, body: ERASED_BODY, tags: [], color: null, target: { page: 2 } });
    expect(r1).toMatchObject({ id: 'r1', author: bo, body: 'Enig', replyTo: 'c1', resolved: true });
    expect(r1?.resolvedBy).toBeUndefined();
    expect(fresh.getMap('packet').get('title')).toBe('Socialudvalget');
    const bytes = Buffer.from(result?.state as Uint8Array);
    for (const gone of ['hemmeligt', 'Anne Jensen']) expect(bytes.includes(Buffer.from(gone))).toBe(false);
  });

  it('leaves a room the user never wrote in alone', () => {
    const doc = new Y.Doc();
    insertAnnotation(doc, { id: 'c1', kind: 'comment', replyTo: null, body: 'x', color: null, tags: [], target: { page: 1 } }, bo, at);
    expect(eraseAuthor(stored(doc), 'anne')).toBeNull();
  });
});
