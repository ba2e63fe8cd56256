import { describe, expect, it } from 'vitest';
import { createAnchorer } from '../anchoring/anchor.ts';
import { fromWebAnnotations } from '../model/web-annotation.ts';
import { buildOverview, notesInOrder } from './overview-model.ts';
import { buildJsonLd, renderJsonLd } from './render-jsonld.ts';
import { sampleModel } from './testing/render-sample.ts';
import { sampleOutline, samplePacket } from './testing/sample-packet.ts';
import { collectionViolations } from './testing/w3c-constraints.ts';

const OPTIONS = {
  source: 'urn:x-pdf:0123456789abcdef0123456789abcdef',
  id: 'urn:randnoter:export:test',
  packetVersion: 'urn:x-pdf:0123456789abcdef0123456789abcdef',
};

describe('W3C JSON-LD export', () => {
  it('is an AnnotationCollection whose every annotation meets the model’s MUST constraints', () => {
    const collection = buildJsonLd(sampleModel(), OPTIONS);
    // Page notes and orphans have no quote or position in this packet; every other annotation has all three selectors.
    const onText = (a: Record<string, unknown>) =>
      !['urn:randnoter:annotation:n-side', 'urn:randnoter:annotation:n-vaek'].includes(a.id as string);
    expect(collectionViolations(JSON.parse(renderJsonLd(sampleModel(), OPTIONS)), onText)).toEqual([]);
    expect(collection.total).toBe(6);
    expect(collection.first.items.map((a) => a.id.split(':').pop())).toEqual(['n-punkt', 'n-bilag', 'n-side', 'n-vaek', 'c-1', 'r-1']);
    const bilag = collection.first.items[1];
    expect(bilag).toMatchObject({
      created: '2023-01-20T09:00:00.000Z',
      modified: '2023-01-20T09:30:00.000Z',
      creator: { type: 'Person', name: 'Anne Jensen' },
      'randnoter:status': 'anchored',
      'randnoter:agendaItem': { number: 1, title: 'Budget 2027' },
      'randnoter:attachment': { number: 1, title: 'Notat om takster' },
    });
    const reply = collection.first.items[5];
    expect(Array.isArray(reply?.target) && reply.target[0]).toBe('urn:randnoter:annotation:c-1');
    expect(collection.first.items[3]?.['randnoter:status']).toBe('orphaned');
  });

  it('leaves out times that are not xsd:dateTime instead of writing invalid ones', () => {
    const model = sampleModel();
    const first = model.sections[0]?.items[0]?.notes[0];
    if (!first) throw new Error('no note');
    first.annotation = { ...first.annotation, created: 'i går', modified: '' };
    const web = buildJsonLd(model, OPTIONS).first.items[0];
    expect(web?.created).toBeUndefined();
    expect(web?.modified).toBeUndefined();
  });

  it('reads back into the same notes at the same places', () => {
    const collection = JSON.parse(renderJsonLd(sampleModel(), OPTIONS));
    const back = fromWebAnnotations(collection);
    if (!back.ok) throw new Error(back.error);
    const again = buildOverview({
      title: 'x',
      outline: sampleOutline,
      notes: back.value.filter((a) => a.kind === 'note'),
      shared: back.value.filter((a) => a.kind !== 'note'),
      anchor: createAnchorer(samplePacket, { outline: sampleOutline }),
      timeZone: 'Europe/Copenhagen',
      now: new Date(),
    });
    const places = (model: typeof again) =>
      [...notesInOrder(model)].map(({ note }) => [
        note.annotation.id,
        note.annotation.body,
        note.page,
        note.start,
        note.end,
        note.placement,
        note.annotation.resolved,
      ]);
    expect(places(again)).toEqual(places(sampleModel()));
  });
});
