/**
 * Comments as the annotation schema has them (an entry of the `annotations` Y.Map, see
 * DESIGN.md), and pre-generated streams of them: the load generator sends ready-made update
 * bytes, so its own Yjs work does not compete with the server for the CPU while timing.
 */
import * as Y from 'yjs';

export const ANNOTATIONS = 'annotations';

export function addComment(doc: Y.Doc, id: string, author: string, page: number): void {
  const now = new Date().toISOString();
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    doc.getMap(ANNOTATIONS).set(id, entry);
    entry.set('id', id);
    entry.set('kind', 'note');
    entry.set('author', { id: author, name: author });
    entry.set('created', now);
    entry.set('modified', now);
    entry.set('body', `Benchmark comment ${id}: what does this paragraph mean for the budget?`);
    entry.set('target', {
      page,
      selectors: [{ type: 'TextQuoteSelector', exact: 'the budget for 2026', prefix: 'Punkt 3: ', suffix: ' is approved' }],
    });
    entry.set('deleted', false);
  });
}

export interface CommentStream {
  /** Comment ids, in the order of `updates`. */
  ids: string[];
  /** One v1 update per comment; each builds on the ones before it. */
  updates: Uint8Array[];
}

/** `count` comments by one writer, one update each. */
export function commentStream(prefix: string, count: number): CommentStream {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const ids: string[] = [];
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    // Same width for every id, so no id is a prefix of another (propagation finds them by bytes).
    const id = `${prefix}-${String(i).padStart(width, '0')}`;
    ids.push(id);
    addComment(doc, id, prefix, 1 + (i % 40));
  }
  doc.destroy();
  return { ids, updates };
}

/** The state of a room holding `count` comments, as one update. */
export function roomState(count: number): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < count; i++) addComment(doc, `loaded-${i}`, 'loader', 1 + (i % 40));
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
