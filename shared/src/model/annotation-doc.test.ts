import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsOf, insertAnnotation, readAnnotation, setResolved } from './annotation-doc.ts';

const draft = { id: 'c1', kind: 'comment' as const, body: 'Hvad koster det?', replyTo: null, target: { page: 3 }, color: null, tags: [] };
const anne = { id: 'u-anne', name: 'Anne Jensen' };
const bo = { id: 'u-bo', name: 'Bo Hansen' };

describe('resolving a comment', () => {
  it('records who resolved it and when, and keeps the comment’s own time', () => {
    const doc = new Y.Doc();
    insertAnnotation(doc, draft, anne, '2023-01-20T09:00:00.000Z');
    setResolved(doc, 'c1', true, bo, '2023-01-21T14:00:00.000Z');
    const read = () => readAnnotation(annotationsOf(doc).get('c1') as Y.Map<unknown>);
    expect(read()).toMatchObject({
      resolved: true,
      resolvedBy: bo,
      resolvedAt: '2023-01-21T14:00:00.000Z',
      created: '2023-01-20T09:00:00.000Z',
      modified: '2023-01-20T09:00:00.000Z',
    });
    setResolved(doc, 'c1', false, anne, '2023-01-22T08:00:00.000Z');
    expect(read()?.resolved).toBe(false);
    expect(read()).not.toHaveProperty('resolvedBy');
    expect(read()).not.toHaveProperty('resolvedAt');
    expect(read()?.modified).toBe('2023-01-20T09:00:00.000Z');
  });

  it('reads comments resolved before who and when were recorded, and ignores a malformed resolver', () => {
    const doc = new Y.Doc();
    insertAnnotation(doc, draft, anne, '2023-01-20T09:00:00.000Z');
    const entry = annotationsOf(doc).get('c1') as Y.Map<unknown>;
    entry.set('resolved', true);
    expect(readAnnotation(entry)).toMatchObject({ resolved: true });
    expect(readAnnotation(entry)).not.toHaveProperty('resolvedBy');
    entry.set('resolvedBy', { id: 7 });
    entry.set('resolvedAt', '2023-01-21T14:00:00.000Z');
    expect(readAnnotation(entry)).not.toHaveProperty('resolvedBy');
    expect(readAnnotation(entry)).not.toHaveProperty('resolvedAt');
  });
});

describe('mentions', () => {
  it('stores whom a comment mentions, reads them back, and keeps only well-formed ids of a hostile entry', () => {
    const doc = new Y.Doc();
    insertAnnotation(doc, { ...draft, mentions: ['u-bo', 'u-carl'] }, anne, '2023-01-20T09:00:00.000Z');
    const entry = annotationsOf(doc).get('c1') as Y.Map<unknown>;
    expect(readAnnotation(entry)?.mentions).toEqual(['u-bo', 'u-carl']);
    entry.set('mentions', ['u-bo', 7, 'not an id!', ...Array.from({ length: 40 }, (_, i) => `u${i}`)]);
    const mentions = readAnnotation(entry)?.mentions ?? [];
    expect(mentions[0]).toBe('u-bo');
    expect(mentions).toHaveLength(25);
    expect(mentions).not.toContain(7);
  });

  it('leaves the field out when a comment mentions nobody', () => {
    const doc = new Y.Doc();
    insertAnnotation(doc, draft, anne, '2023-01-20T09:00:00.000Z');
    expect(readAnnotation(annotationsOf(doc).get('c1') as Y.Map<unknown>)).not.toHaveProperty('mentions');
  });
});
