import { describe, expect, it } from 'vitest';
import { chooseAgenda, preferredGroups } from './choose-outline.ts';
import type { StoredCorrection } from './correction.ts';
import type { AgendaOutline } from './outline.ts';

const VERSION = `urn:x-pdf:${'ab'.repeat(16)}`;

const detected = (confidence: number): AgendaOutline => ({
  pages: 10,
  confidence,
  items: [{ number: 1, label: '1)', title: 'Detected', firstPage: 1, lastPage: 10, attachments: [] }],
});

const correctionBy = (title: string, extra: Partial<StoredCorrection> = {}): StoredCorrection => ({
  version: VERSION,
  pages: 10,
  items: [
    { number: 1, label: 'Sag 1', title, firstPage: 1, attachments: [] },
    { number: 2, label: 'Sag 2', title: `${title} 2`, firstPage: 6, attachments: [] },
  ],
  by: { id: 'u1', name: 'Anne' },
  at: '2026-03-10T09:00:00.000Z',
  ...extra,
});

const fromPage = {
  pageUrl: 'https://example.org/agenda',
  outline: { ...detected(0.85), items: [{ number: 1, label: 'Punkt 1', title: 'Page', firstPage: 1, lastPage: 10, attachments: [] }] },
};

const titleOf = (c: { outline: AgendaOutline }) => c.outline.items[0]?.title;

describe('chooseAgenda', () => {
  const base = { version: VERSION, pages: 10, detected: detected(0.9), own: null, groups: [], fromPage: null };

  it('takes the own correction, then the first group’s, then detection', () => {
    const groups = [
      { groupId: 'a', correction: null },
      { groupId: 'b', correction: correctionBy('B') },
      { groupId: 'c', correction: correctionBy('C') },
    ];
    const own = chooseAgenda({ ...base, own: correctionBy('Own'), groups });
    expect([titleOf(own), own.source]).toEqual(['Own', { kind: 'own', at: '2026-03-10T09:00:00.000Z' }]);
    const group = chooseAgenda({ ...base, groups });
    expect([titleOf(group), group.source]).toEqual([
      'B',
      { kind: 'group', groupId: 'b', by: { id: 'u1', name: 'Anne' }, at: '2026-03-10T09:00:00.000Z' },
    ]);
    expect(group.outline.items.map((i) => [i.firstPage, i.lastPage])).toEqual([
      [1, 5],
      [6, 10],
    ]);
    const none = chooseAgenda(base);
    expect([titleOf(none), none.source.kind]).toEqual(['Detected', 'detected']);
  });

  it('passes over corrections made on another version or that do not fit the packet', () => {
    const other = correctionBy('Other', { version: `urn:x-pdf:${'cd'.repeat(16)}` });
    const longer = correctionBy('Longer', { pages: 12 });
    const chosen = chooseAgenda({ ...base, own: other, groups: [{ groupId: 'a', correction: longer }] });
    expect(chosen.source.kind).toBe('detected');
  });

  it('uses the agenda page’s structure only when detection is unsure, and a correction before it', () => {
    expect(chooseAgenda({ ...base, fromPage }).source.kind).toBe('detected');
    const unsure = chooseAgenda({ ...base, detected: detected(0.6), fromPage });
    expect([titleOf(unsure), unsure.source]).toEqual(['Page', { kind: 'page', pageUrl: 'https://example.org/agenda' }]);
    const nothing = chooseAgenda({ ...base, detected: { pages: 10, confidence: 1, items: [] }, fromPage });
    expect(nothing.source.kind).toBe('page');
    expect(chooseAgenda({ ...base, detected: detected(0.6), fromPage, own: correctionBy('Own') }).source.kind).toBe('own');
  });

  it('on the server (no version or pages known) takes a group’s correction as it is', () => {
    const chosen = chooseAgenda({
      version: null,
      pages: null,
      detected: undefined,
      own: null,
      groups: [{ groupId: 'a', correction: correctionBy('G') }],
    });
    expect(titleOf(chosen)).toBe('G');
    expect(chosen.outline.pages).toBe(10);
  });
});

describe('preferredGroups', () => {
  it('puts the default group first and keeps the others in order', () => {
    const groups = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(preferredGroups(groups, 'b').map((g) => g.id)).toEqual(['b', 'a', 'c']);
    expect(preferredGroups(groups, 'x').map((g) => g.id)).toEqual(['a', 'b', 'c']);
    expect(preferredGroups(groups, null).map((g) => g.id)).toEqual(['a', 'b', 'c']);
  });
});
