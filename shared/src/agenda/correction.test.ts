import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { agendaMapOf, clearCorrection, readCorrection, writeCorrection } from './agenda-doc.ts';
import {
  type AgendaCorrection,
  CorrectionLimits,
  correctionAppliesTo,
  correctionToOutline,
  nextLabel,
  outlineToCorrection,
  parseCorrection,
  readStoredCorrection,
} from './correction.ts';

const VERSION = `urn:x-pdf:${'ab'.repeat(16)}`;

const correction = (): AgendaCorrection => ({
  version: VERSION,
  pages: 17,
  items: [
    {
      number: 1,
      label: '1)',
      title: 'Evaluering af forsøg',
      firstPage: 1,
      attachments: [
        { number: 1, label: 'Bilag 1', title: 'RDM-indstilling', firstPage: 2 },
        { number: 2, label: 'Bilag 2', title: 'Høringssvar', firstPage: 5 },
      ],
    },
    { number: 2, label: '2)', title: 'Høring om skolestruktur', firstPage: 11, attachments: [] },
    {
      number: 3,
      label: '3)',
      title: 'Trafiksikkerhedsplan',
      firstPage: 12,
      attachments: [{ number: 1, label: 'Bilag 1', title: 'Tidsplan', firstPage: 14 }],
    },
  ],
});

type Entry = Record<string, unknown> & { attachments: Array<Record<string, unknown>> };
const at = <T>(list: T[], i: number): T => list[i] as T;

/** A copy of the good correction with one change made by `edit`. */
function changed(edit: (c: Record<string, unknown> & { items: Entry[] }) => void): unknown {
  const c = JSON.parse(JSON.stringify(correction()));
  edit(c);
  return c;
}

describe('parseCorrection', () => {
  it('keeps a well-formed correction as it is', () => {
    expect(parseCorrection(correction(), { pages: 17 })).toEqual({ ok: true, value: correction() });
  });

  it('drops who and when (whoever stores it sets them) but refuses any other unknown field, prototype keys included', () => {
    const echoed = { ...correction(), by: { id: 'u1', name: 'Anne' }, at: '2026-01-01T00:00:00Z' };
    expect(parseCorrection(echoed)).toEqual({ ok: true, value: correction() });
    for (const json of [
      '{"items":[],"__proto__":{"polluted":true}}',
      `{"version":"${VERSION}","items":[{"number":1,"label":"1)","title":"T","firstPage":1,"attachments":[],"constructor":{"prototype":{"x":1}}}]}`,
      `{"items":[{"number":1,"label":"1)","title":"T","firstPage":1,"attachments":[{"number":1,"label":"B","title":"T","firstPage":1,"__proto__":{}}]}]}`,
    ]) {
      const result = parseCorrection(JSON.parse(json));
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toMatch(/unknown field/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses each kind of bad input with a message naming the field, and says which row and what kind', () => {
    const bad: Array<[unknown, RegExp, { code: string; item: number | null; attachment: number | null }]> = [
      [null, /JSON object/, { code: 'shape', item: null, attachment: null }],
      [[correction()], /JSON object/, { code: 'shape', item: null, attachment: null }],
      [changed((c) => delete (c as { items?: unknown }).items), /items must be an array/, { code: 'shape', item: null, attachment: null }],
      [changed((c) => (c.items = [])), /at least one item/, { code: 'count', item: null, attachment: null }],
      [changed((c) => (c.version = 'urn:x-pdf:nothex')), /version/, { code: 'version', item: null, attachment: null }],
      [changed((c) => (c.pages = 0)), /pages must be/, { code: 'pages', item: null, attachment: null }],
      [changed((c) => (c.pages = 18)), /page count \(17\)/, { code: 'pages', item: null, attachment: null }],
      [changed((c) => (c.items[1] = 'x' as never)), /items\[1\] must be an object/, { code: 'shape', item: 1, attachment: null }],
      [changed((c) => (at(c.items, 1).number = 2.5)), /items\[1\]\.number/, { code: 'number', item: 1, attachment: null }],
      [changed((c) => (at(c.items, 1).number = -1)), /items\[1\]\.number/, { code: 'number', item: 1, attachment: null }],
      [changed((c) => (at(c.items, 1).number = 1)), /number 1 is used twice/, { code: 'duplicate', item: 1, attachment: null }],
      [changed((c) => (at(c.items, 0).label = ' ')), /items\[0\]\.label/, { code: 'label', item: 0, attachment: null }],
      [changed((c) => (at(c.items, 0).label = 'x'.repeat(65))), /1 to 64/, { code: 'label', item: 0, attachment: null }],
      [changed((c) => (at(c.items, 0).title = 7)), /items\[0\]\.title/, { code: 'title', item: 0, attachment: null }],
      [changed((c) => (at(c.items, 0).title = 'x'.repeat(1001))), /1 to 1000/, { code: 'title', item: 0, attachment: null }],
      [changed((c) => (at(c.items, 2).firstPage = 18)), /page of the packet \(1 to 17\)/, { code: 'page', item: 2, attachment: null }],
      [changed((c) => (at(c.items, 2).firstPage = '12')), /items\[2\]\.firstPage/, { code: 'page', item: 2, attachment: null }],
      [changed((c) => (at(c.items, 2).firstPage = 11)), /after the item before it/, { code: 'order', item: 2, attachment: null }],
      [
        changed((c) => (at(c.items, 2).attachments = 'none' as never)),
        /attachments must be an array/,
        { code: 'shape', item: 2, attachment: null },
      ],
      [
        changed((c) => (at(at(c.items, 0).attachments, 1).firstPage = 11)),
        /within its item's pages \(1 to 10\)/,
        { code: 'outside', item: 0, attachment: 1 },
      ],
      [
        changed((c) => (at(at(c.items, 0).attachments, 1).firstPage = 2)),
        /after the attachment before it/,
        { code: 'order', item: 0, attachment: 1 },
      ],
      [
        changed((c) => (at(at(c.items, 0).attachments, 1).number = 1)),
        /used twice in this item/,
        { code: 'duplicate', item: 0, attachment: 1 },
      ],
      [
        changed((c) => (at(at(c.items, 0).attachments, 0).label = '')),
        /attachments\[0\]\.label/,
        { code: 'label', item: 0, attachment: 0 },
      ],
    ];
    for (const [input, message, problem] of bad) {
      const result = parseCorrection(input, { pages: 17 });
      expect(result.ok, JSON.stringify(input)?.slice(0, 200)).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatch(message);
      expect(result.problem).toEqual(problem);
    }
  });

  it('bounds the counts: at most 1000 items and 5000 attachments in all', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ number: i, label: `${i}.`, title: 'T', firstPage: i + 1, attachments: [] }));
    expect(parseCorrection({ items: many(CorrectionLimits.items) }).ok).toBe(true);
    expect(parseCorrection({ items: many(CorrectionLimits.items + 1) })).toMatchObject({
      ok: false,
      error: 'items must hold at most 1000 items',
      problem: { code: 'count', item: null },
    });
    const attachments = Array.from({ length: 1000 }, (_, j) => ({ number: j, label: 'B', title: 'T', firstPage: j + 1 }));
    const items = Array.from({ length: 6 }, (_, i) => ({
      number: i,
      label: `${i}.`,
      title: 'T',
      firstPage: i * 1000 + 1,
      attachments: attachments.map((a) => ({ ...a, firstPage: a.firstPage + i * 1000 })),
    }));
    expect(parseCorrection({ items })).toMatchObject({
      ok: false,
      error: 'items[5].attachments go past the 5000 attachments a correction may hold in all',
      problem: { code: 'count', item: 5, attachment: null },
    });
  });

  it('bounds the whole correction’s size', () => {
    const long = Array.from({ length: 300 }, (_, i) => ({
      number: i,
      label: `${i}.`,
      title: 't'.repeat(1000),
      firstPage: i + 1,
      attachments: [],
    }));
    expect(parseCorrection({ items: long })).toMatchObject({ ok: false, problem: { code: 'size' } });
  });

  it('without a page count, bounds pages by the one the correction states, else by the protocol', () => {
    expect(parseCorrection(changed((c) => (at(c.items, 2).firstPage = 18)))).toMatchObject({ ok: false, problem: { code: 'page' } });
    expect(parseCorrection(changed((c) => delete c.pages)).ok).toBe(true);
  });
});

describe('corrections as stored', () => {
  it('round-trips through a Y.Doc with who and when, and reads a removed or malformed one as none', () => {
    const doc = new Y.Doc();
    expect(readCorrection(doc)).toBeNull();
    writeCorrection(doc, correction(), { id: 'u1', name: 'Anne Jensen' }, '2026-03-10T09:00:00.000Z');
    expect(readCorrection(doc)).toEqual({ ...correction(), by: { id: 'u1', name: 'Anne Jensen' }, at: '2026-03-10T09:00:00.000Z' });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readCorrection(copy)?.items).toEqual(correction().items);
    clearCorrection(doc);
    expect(readCorrection(doc)).toBeNull();
    agendaMapOf(doc).set('correction', { items: [{ number: 1 }] });
    expect(readCorrection(doc)).toBeNull();
    expect(readStoredCorrection({ ...correction(), by: 'nobody', at: 5 })).toMatchObject({ by: null, at: '' });
  });
});

describe('what a correction places', () => {
  it('runs each item and attachment to the page before the next, the last to the end, and is sure', () => {
    const outline = correctionToOutline(correction(), 17);
    expect(outline.confidence).toBe(1);
    expect(outline.items.map((i) => [i.firstPage, i.lastPage, i.attachments.map((a) => [a.firstPage, a.lastPage])])).toEqual([
      [
        1,
        10,
        [
          [2, 4],
          [5, 10],
        ],
      ],
      [11, 11, []],
      [12, 17, [[14, 17]]],
    ]);
    expect(outlineToCorrection(outline, VERSION)).toEqual(correction());
  });

  it('applies only to the version it was made on and to a packet its pages fit', () => {
    expect(correctionAppliesTo(correction(), { version: VERSION, pages: 17 })).toBe(true);
    expect(correctionAppliesTo(correction(), { version: `urn:x-pdf:${'cd'.repeat(16)}`, pages: 17 })).toBe(false);
    expect(correctionAppliesTo(correction(), { version: VERSION, pages: 18 })).toBe(false);
    const { version: _v, pages: _p, ...anyVersion } = correction();
    expect(correctionAppliesTo(anyVersion, { version: VERSION, pages: 20 })).toBe(true);
    expect(correctionAppliesTo(anyVersion, { version: VERSION, pages: 11 })).toBe(false);
    expect(correctionAppliesTo(correction(), { version: null, pages: null })).toBe(true);
  });

  it('continues the packet’s own labels', () => {
    expect(nextLabel('Sag 37', 37, 38, 'Punkt 38')).toBe('Sag 38');
    expect(nextLabel('Bilag 37.2', 2, 3, 'Bilag 3')).toBe('Bilag 37.3');
    expect(nextLabel('3)', 3, 4, 'Punkt 4')).toBe('4)');
    expect(nextLabel('3.', 3, 4, 'Punkt 4')).toBe('4.');
    expect(nextLabel('Appendix B', 2, 3, 'Bilag 3')).toBe('Bilag 3');
  });
});
