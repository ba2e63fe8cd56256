import { describe, expect, it } from 'vitest';
import type { Annotation } from './annotation.ts';
import { ANNO_CONTEXT, fromWebAnnotations, RFC3778, toCollection, toWebAnnotation } from './web-annotation.ts';

const note: Annotation = {
  id: '3f2a9c1e-0000-4000-8000-000000000001',
  kind: 'comment',
  replyTo: null,
  author: { id: 'u1', name: 'Anne Jensen' },
  created: '2026-01-05T10:00:00.000Z',
  modified: '2026-01-05T10:05:00.000Z',
  body: 'Hvad koster **det**?',
  color: null,
  tags: ['økonomi'],
  resolved: true,
  deleted: false,
  target: {
    packetVersion: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
    page: 28,
    agendaItem: { number: 4, title: 'Frivilligpris' },
    attachment: { number: 1, title: 'Indstilling - Frivilligpris' },
    selectors: [
      { type: 'TextQuoteSelector', exact: '180-200', prefix: 'forventer ', suffix: ' ansøgninger' },
      { type: 'TextPositionSelector', start: 100, end: 107 },
    ],
  },
};
const reply: Annotation = {
  ...note,
  id: 'r1',
  kind: 'reply',
  replyTo: note.id,
  body: 'Ca. 40.000 kr.',
  tags: [],
  resolved: false,
  target: { page: 28 },
};

describe('W3C Web Annotation mapping', () => {
  it('writes the model the W3C requires: context, IRI id, type, target with quote, position and RFC 3778 page', () => {
    const web = toWebAnnotation(note, 'https://ex.dk/p.pdf');
    expect((web['@context'] as unknown[])[0]).toBe(ANNO_CONTEXT);
    expect(web.id).toMatch(/^urn:randnoter:annotation:/);
    expect(web.type).toBe('Annotation');
    expect(web.target).toEqual({
      source: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
      selector: [
        { type: 'TextQuoteSelector', exact: '180-200', prefix: 'forventer ', suffix: ' ansøgninger' },
        { type: 'TextPositionSelector', start: 100, end: 107 },
        { type: 'FragmentSelector', conformsTo: RFC3778, value: 'page=28' },
      ],
    });
    expect(web.creator).toEqual({ id: 'urn:randnoter:user:u1', type: 'Person', name: 'Anne Jensen' });
  });

  it("carries a page note's page identity, so `randnoter anchor` finds its page in another version", () => {
    const pageNote: Annotation = {
      ...note,
      id: 'p1',
      kind: 'note',
      target: { packetVersion: note.target.packetVersion, page: 39, pageIdentity: { text: { hash: '0c06130b23272820', nearest: 17 } } },
    };
    const web = toWebAnnotation(pageNote, 'x');
    expect(web['randnoter:pageIdentity']).toEqual({ text: { hash: '0c06130b23272820', nearest: 17 } });
    const back = fromWebAnnotations([JSON.parse(JSON.stringify(web))]);
    expect(back.ok && back.value[0]?.target).toEqual({ ...pageNote.target, selectors: [] });
  });

  it('reads back what it writes, replies included', () => {
    const collection = toCollection([toWebAnnotation(note, 'x'), toWebAnnotation(reply, 'x')], 'urn:randnoter:export:1', 'Noter');
    const back = fromWebAnnotations(JSON.parse(JSON.stringify(collection)));
    expect(back.ok && back.value).toEqual([note, { ...reply, target: note.target }]);
  });

  it('accepts a plain array and foreign annotations with only a quote', () => {
    const back = fromWebAnnotations([
      {
        '@context': ANNO_CONTEXT,
        id: 'https://hyp.is/abc123',
        type: 'Annotation',
        bodyValue: 'Hmm',
        target: { source: 'https://ex.dk/p.pdf', selector: { type: 'TextQuoteSelector', exact: 'uden bemærkninger' } },
      },
    ]);
    expect(back.ok && back.value[0]).toMatchObject({
      id: 'abc123',
      kind: 'note',
      body: 'Hmm',
      target: { page: 1, selectors: [{ exact: 'uden bemærkninger', prefix: '', suffix: '' }] },
    });
  });

  it.each([
    [{ type: 'Nope' }, 'expected a W3C annotation'],
    [[{ type: 'Annotation', target: {} }], 'annotation 1: id must be an IRI'],
    [[{ type: 'Annotation', id: 'urn:x:1', target: { source: 'x', selector: [] } }], 'annotation 1: target needs'],
    [
      [{ type: 'Annotation', id: 'urn:x:1', target: 'urn:randnoter:annotation:missing' }],
      'points to an annotation that is not in the input',
    ],
  ])('refuses %j', (input, message) => {
    const result = fromWebAnnotations(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});
