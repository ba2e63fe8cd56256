import { describe, expect, it } from 'vitest';
import { groupByItem } from './group-by-item.ts';
import type { AgendaOutline } from './outline.ts';

const outline: AgendaOutline = {
  pages: 10,
  confidence: 1,
  items: [
    { number: 1, label: 'Sag 1', title: 'Dagsorden', firstPage: 2, lastPage: 2, attachments: [] },
    {
      number: 2,
      label: 'Sag 2',
      title: 'Referat',
      firstPage: 3,
      lastPage: 6,
      attachments: [{ number: 1, label: 'Bilag 2.1', title: 'Bilag', firstPage: 4, lastPage: 6 }],
    },
    { number: 3, label: 'Sag 3', title: 'Eventuelt', firstPage: 7, lastPage: 10, attachments: [] },
  ],
};

const entries = [
  { value: 'c', page: 5, offset: 500 },
  { value: 'a', page: 3, offset: 300 },
  { value: 'b', page: 4, offset: 410 },
  { value: 'd', page: 4, offset: 400 },
  { value: 'toc', page: 1, offset: 5 },
  { value: 'z', page: 8, offset: null },
];

describe('grouping by agenda item', () => {
  it("orders entries by item, then item pages before attachments, each by position, keeping the packet's labels", () => {
    const groups = groupByItem(entries, outline);
    expect(
      groups.map((g) => [g.item?.label ?? null, g.entries.map((e) => e.value), g.attachments.map((a) => a.entries.map((e) => e.value))]),
    ).toEqual([
      [null, ['toc'], []],
      ['Sag 2', ['a'], [['d', 'b', 'c']]],
      ['Sag 3', ['z'], []],
    ]);
    expect(groups[1]?.attachments[0]?.attachment).toEqual({ number: 1, title: 'Bilag', label: 'Bilag 2.1' });
  });

  it('groups by page when the agenda is only guessed, never under a guessed item', () => {
    const groups = groupByItem(entries, { ...outline, confidence: 0.5 }, { includeEmpty: true });
    expect(groups.map((g) => [g.page, g.item, g.attachments, g.entries.map((e) => e.value)])).toEqual([
      [1, null, [], ['toc']],
      [3, null, [], ['a']],
      [4, null, [], ['d', 'b']],
      [5, null, [], ['c']],
      [8, null, [], ['z']],
    ]);
  });

  it('can include items without notes, and falls back to stored places without an outline', () => {
    expect(groupByItem([], outline, { includeEmpty: true }).map((g) => g.item?.number)).toEqual([1, 2, 3]);
    const fallback = groupByItem([
      { value: 'x', page: 4, offset: 1, fallbackItem: { number: 2, title: 'Referat' }, fallbackAttachment: { number: 1, title: 'Bilag' } },
    ]);
    expect(fallback[0]?.attachments[0]?.attachment).toEqual({ number: 1, title: 'Bilag' });
  });
});
