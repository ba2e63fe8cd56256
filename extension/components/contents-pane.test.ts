// @vitest-environment happy-dom
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { describe, expect, it } from 'vitest';
import { messages } from '../i18n/messages.ts';
import { createContentsPane } from './contents-pane.ts';

const t = messages('da');
const OUTLINE: AgendaOutline = {
  pages: 6,
  confidence: 1,
  items: [1, 2, 3].map((n) => ({
    number: n,
    label: `Punkt ${n}`,
    title: `Sag ${n}`,
    firstPage: 2 * n - 1,
    lastPage: 2 * n,
    attachments: [],
  })),
};

const buttonsOf = (root: HTMLElement) => [...root.querySelectorAll<HTMLButtonElement>('.rn-agenda > li > button:first-child')];

describe('Indhold with closed items', () => {
  it('shows a padlock on a closed item, named "Lukket punkt" for those who read it and without access for the others', () => {
    const root = document.createElement('div');
    const pane = createContentsPane(root, t, () => {});
    pane.render(
      OUTLINE,
      new Map([[2, 4]]),
      [],
      null,
      null,
      new Map([
        [2, true],
        [3, false],
      ]),
    );
    const [open, readable, locked] = buttonsOf(root).map((b) => b.getAttribute('aria-label') ?? '');
    expect(open).not.toContain('Lukket punkt');
    expect(readable).toContain('Lukket punkt');
    expect(readable).toContain('4 noter');
    expect(locked).toContain('Lukket punkt, du har ikke adgang');
    expect(root.querySelectorAll('.rn-lock')).toHaveLength(2);
    // Nothing was received for the locked item, so nothing is counted.
    expect(root.querySelectorAll('.rn-closed .rn-count')).toHaveLength(1);
  });

  it('gives a secretary a button per item that closes an open one and opens a closed one', () => {
    const root = document.createElement('div');
    const asked: Array<[number, boolean]> = [];
    const pane = createContentsPane(root, t, () => {}, { setClosed: (n, closed) => asked.push([n, closed]) });
    pane.render(OUTLINE, new Map(), [], null, null, new Map([[2, true]]));
    const toggles = [...root.querySelectorAll<HTMLButtonElement>('button.rn-close-item')];
    expect(toggles.map((b) => b.textContent)).toEqual(['Marker som lukket punkt', 'Fjern lukket punkt', 'Marker som lukket punkt']);
    for (const b of toggles) b.click();
    expect(asked).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
  });

  it('offers no such button to other members', () => {
    const root = document.createElement('div');
    createContentsPane(root, t, () => {}).render(OUTLINE, new Map(), [], null, null, new Map([[2, true]]));
    expect(root.querySelector('button.rn-close-item')).toBeNull();
  });
});
