import { describe, expect, it, vi } from 'vitest';
import { createAnchorer } from '../anchoring/anchor.ts';
import { buildOverview, notesInOrder, type OverviewModel } from './overview-model.ts';
import { sampleNotes, sampleOutline, samplePacket, sampleShared } from './testing/sample-packet.ts';

const NOW = new Date('2023-01-22T07:00:00Z');
const overview = (extra: Partial<Parameters<typeof buildOverview>[0]> = {}) =>
  buildOverview({
    title: 'Byrådet 23. januar',
    outline: sampleOutline,
    notes: sampleNotes,
    shared: sampleShared,
    anchor: createAnchorer(samplePacket, { outline: sampleOutline }),
    timeZone: 'Europe/Copenhagen',
    now: NOW,
    ...extra,
  });

/** The headings and note ids of a model, as an outline of strings. */
function shape(model: OverviewModel): string[] {
  const out: string[] = [];
  for (const section of model.sections) {
    out.push(section.heading);
    for (const item of section.items) {
      out.push(`  ${item.heading}`, ...item.notes.map((n) => `    ${n.annotation.id}`));
      for (const a of item.attachments) out.push(`    ${a.heading}`, ...a.notes.map((n) => `      ${n.annotation.id}`));
    }
    if (section.orphaned.length) out.push(`  ${model.labels.orphaned}`, ...section.orphaned.map((n) => `    ${n.annotation.id}`));
  }
  return out;
}

describe('the overview model', () => {
  it('has a section for closed items only when it is given comments on them, so an export without access shows no trace', () => {
    const headings = (model: OverviewModel) => model.sections.map((s) => s.heading);
    expect(headings(overview())).toEqual(['Overblik: Noter', 'Overblik: Delte kommentarer']);
    const tombstone = { ...(sampleShared[0] as (typeof sampleShared)[number]), id: 'gone', deleted: true };
    expect(headings(overview({ closed: [tombstone] }))).toEqual(['Overblik: Noter', 'Overblik: Delte kommentarer']);
    const closed = sampleShared.map((a) => ({ ...a, id: `lukket-${a.id}` }));
    const model = overview({ closed, shared: [] });
    expect(headings(model)).toEqual(['Overblik: Noter', 'Overblik: Delte kommentarer', 'Overblik: Lukkede punkter']);
    expect(model.sections[2]?.kind).toBe('closed');
    expect([...notesInOrder(model)].filter((n) => n.section.kind === 'closed').length).toBeGreaterThan(0);
    expect(model.labels.closedMark).toBe('Lukket punkt – fortroligt');
  });

  it('orders notes by agenda item in packet order, item pages before attachments, orphans last in their section', () => {
    expect(shape(overview())).toEqual([
      'Overblik: Noter',
      '  Punkt 1: Budget 2027',
      '    n-punkt',
      '    Bilag 1: Notat om takster',
      '      n-bilag',
      '  Punkt 2: Eventuelt',
      '    n-side',
      '  Ikke fundet i pakken',
      '    n-vaek',
      'Overblik: Delte kommentarer',
      '  Punkt 1: Budget 2027',
      '    Bilag 1: Notat om takster',
      '      c-1',
    ]);
  });

  it('includes items and attachments without notes only when asked', () => {
    const shared = overview({ includeEmptyItems: true }).sections[1];
    expect(shared?.items.map((i) => [i.heading, i.attachments.map((a) => a.heading)])).toEqual([
      ['Punkt 1: Budget 2027', ['Bilag 1: Notat om takster']],
      ['Punkt 2: Eventuelt', []],
      ['Punkt 3: Skolestruktur', []],
    ]);
    expect(overview().sections[1]?.items.map((i) => i.heading)).toEqual(['Punkt 1: Budget 2027']);
  });

  it('puts replies under their comment, with its place, and gives each note its quote, page, author, time and state', () => {
    const comment = overview().sections[1]?.items[0]?.attachments[0]?.notes[0];
    expect(comment).toMatchObject({
      quote: 'alle borgere',
      page: 3,
      placement: 'anchored',
      author: 'Bo Hansen',
      time: '2023-01-21 13:00',
      groupName: 'Socialudvalget',
      item: { number: 1 },
      attachment: { number: 1 },
    });
    expect(comment?.annotation.resolved).toBe(true);
    expect(comment?.replies.map((r) => [r.annotation.body, r.author, r.page, r.quote])).toEqual([
      ['Ja, se side 3.', 'Anne Jensen', 3, null],
    ]);
    const order = [...notesInOrder(overview())].map(
      ({ note, parent }) => `${note.annotation.id}${parent ? `<${parent.annotation.id}` : ''}`,
    );
    expect(order).toEqual(['n-punkt', 'n-bilag', 'n-side', 'n-vaek', 'c-1', 'r-1<c-1']);
  });

  it("speaks English when asked, keeping the packet's own labels", () => {
    const model = overview({ language: 'en' });
    expect(shape(model).slice(0, 4)).toEqual(['Overview: Notes', '  Punkt 1: Budget 2027', '    n-punkt', '    Bilag 1: Notat om takster']);
    expect(model.sections[1]?.heading).toBe('Overview: Shared comments');
  });

  it('names places as the viewer does in English too when the outline has no labels (stored before labels)', () => {
    const outline = {
      ...sampleOutline,
      items: sampleOutline.items.map(({ label: _label, ...item }) => ({
        ...item,
        attachments: item.attachments.map(({ label: _a, ...a }) => a),
      })),
    };
    const model = overview({ outline, anchor: createAnchorer(samplePacket, { outline }), language: 'en' });
    const headings = shape(model).filter((line) => !/^\s+[a-z]-/.test(line));
    expect(headings).toContain('  Punkt 1: Budget 2027');
    expect(headings).toContain('    Bilag 1: Notat om takster');
    expect(headings.join('\n')).not.toMatch(/Item|Attachment/);
    expect(model.sections[0]?.heading).toBe('Overview: Notes');
  });

  it('heads items and attachments with the labels the packet uses ("Sag 3: …", "Bilag 3.2: …")', () => {
    const outline = {
      ...sampleOutline,
      items: sampleOutline.items.map((i) => ({
        ...i,
        label: `Sag ${i.number}`,
        attachments: i.attachments.map((a) => ({ ...a, label: `Bilag ${i.number}.${a.number}` })),
      })),
    };
    const model = overview({ outline, anchor: createAnchorer(samplePacket, { outline }) });
    expect(shape(model).slice(0, 6)).toEqual([
      'Overblik: Noter',
      '  Sag 1: Budget 2027',
      '    n-punkt',
      '    Bilag 1.1: Notat om takster',
      '      n-bilag',
      '  Sag 2: Eventuelt',
    ]);
    expect(model.sections[0]?.items[0]?.notes[0]?.item).toEqual({ number: 1, title: 'Budget 2027', label: 'Sag 1' });
  });

  it('groups notes by page, under no item, when the agenda is only guessed', () => {
    const outline = { ...sampleOutline, confidence: 0.4 };
    const model = overview({ outline, anchor: createAnchorer(samplePacket, { outline }), includeEmptyItems: true });
    expect(shape(model)).toEqual([
      'Overblik: Noter',
      '  Side 2',
      '    n-punkt',
      '  Side 3',
      '    n-bilag',
      '  Side 4',
      '    n-side',
      '  Ikke fundet i pakken',
      '    n-vaek',
      'Overblik: Delte kommentarer',
      '  Side 3',
      '    c-1',
    ]);
    const notes = [...notesInOrder(model)].map(({ note }) => [note.item, note.attachment]);
    expect(notes.every(([item, attachment]) => item === null && attachment === null)).toBe(true);
    expect(shape(overview({ outline, language: 'en' }))[1]).toBe('  Page 2');
  });

  it('without the packet text, keeps notes where they were stored, grouped by their stored agenda place', () => {
    const model = buildOverview({
      title: 'x',
      outline: undefined,
      notes: [
        {
          ...(sampleNotes[0] as (typeof sampleNotes)[number]),
          target: { page: 9, agendaItem: { number: 4, title: 'Frivilligpris' }, attachment: null },
        },
      ],
      shared: [],
      now: NOW,
    });
    expect(model.sections[0]?.items[0]).toMatchObject({ heading: 'Punkt 4: Frivilligpris', notes: [{ page: 9, placement: 'stored' }] });
  });

  it('leaves out deleted notes and says when a section is empty', () => {
    const model = overview({ notes: sampleNotes.map((n) => ({ ...n, deleted: true })), shared: [] });
    expect(model.sections.map((s) => [s.items.length, s.orphaned.length])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  // Each Intl.DateTimeFormat holds ICU memory outside the JS heap, where no worker heap limit sees
  // it: one per note made a 10,000-note export 260 MB bigger.
  it('formats the times of a thousand notes with one time formatter', () => {
    const DateTimeFormat = Intl.DateTimeFormat;
    const made = vi.fn();
    const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      made();
      return new DateTimeFormat(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    const many = Array.from({ length: 1_000 }, (_, i) => ({
      ...(sampleShared[0] as (typeof sampleShared)[number]),
      id: `c${i}`,
      replyTo: null,
    }));
    vi.stubGlobal('Intl', { ...Intl, DateTimeFormat: Counting });
    try {
      const model = overview({ shared: many, anchor: undefined });
      const shared = [...notesInOrder(model)].filter(({ note }) => note.annotation.kind === 'comment');
      expect(shared).toHaveLength(1_000);
      expect(shared.every(({ note }) => note.time === '2023-01-21 13:00')).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(made).toHaveBeenCalledTimes(1);
  });
});
