import { describe, expect, it } from 'vitest';
import { parseAgendaOutline, parseStoredOutline } from './parse-outline.ts';

const item = {
  number: 1,
  label: 'Sag 1',
  title: 'Godkendelse af dagsorden',
  firstPage: 2,
  lastPage: 5,
  attachments: [{ number: 1, label: 'Bilag 1.1', title: 'Bilag', firstPage: 4, lastPage: 5 }],
};

describe('parseAgendaOutline', () => {
  it('keeps a well-formed outline as it is', () => {
    expect(parseAgendaOutline({ pages: 9, items: [item], confidence: 0.4 })).toEqual({ pages: 9, items: [item], confidence: 0.4 });
  });

  it('reads an outline stored before labels and confidence: no labels, and sure as it was then', () => {
    const { label: _item, ...old } = item;
    const legacy = { ...old, attachments: [{ number: 1, title: 'Bilag', firstPage: 4, lastPage: 5 }] };
    const outline = parseStoredOutline(JSON.stringify({ pages: 9, items: [legacy] }));
    expect(outline).toEqual({ pages: 9, confidence: 1, items: [legacy] });
    expect(Object.keys(outline?.items[0] ?? {})).not.toContain('label');
  });

  it('drops items and attachments that are malformed, and refuses what is not an outline', () => {
    const outline = parseAgendaOutline({
      pages: 9,
      confidence: 7,
      items: [
        item,
        { number: 'x', title: 'Bad' },
        { ...item, number: 2, firstPage: 7, lastPage: 6 },
        { ...item, number: 3, attachments: [null, { number: 1 }] },
      ],
    });
    expect(outline?.items.map((i) => [i.number, i.attachments.length])).toEqual([
      [1, 1],
      [3, 0],
    ]);
    expect(outline?.confidence).toBe(1);
    expect(parseAgendaOutline({ items: [] })).toBeUndefined();
    expect(parseAgendaOutline([item])).toBeUndefined();
    expect(parseStoredOutline('{not json')).toBeUndefined();
    expect(parseStoredOutline(null)).toBeUndefined();
  });
});
