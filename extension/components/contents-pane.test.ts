// @vitest-environment happy-dom
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { describe, expect, it, vi } from 'vitest';
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

const buttonsOf = (root: HTMLElement) => [...root.querySelectorAll<HTMLButtonElement>('.rn-agenda > li > .rn-item-row > .rn-item-jump')];

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
    const pane = createContentsPane(root, t, () => {}, {
      setClosed: (n, closed) => {
        asked.push([n, closed]);
      },
    });
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

/** Polls (vi.waitFor retries only while the check throws). */
const until = (check: () => boolean) =>
  vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });

describe("a secretary's form for closing an item", () => {
  const MEMBERS = [
    { id: 'anne', name: 'Anne Jensen' },
    { id: 'bo', name: 'Bo Hansen' },
    { id: 'carl', name: 'Carl Nielsen' },
  ];
  /** Indhold for Bo, the secretary; item 2 is closed with Carl excluded. */
  function secretaryPane(fail = false) {
    const root = document.createElement('div');
    document.body.replaceChildren(root);
    const asked: Array<[number, boolean, readonly string[] | undefined]> = [];
    const closed = new Map<number, boolean>([[2, true]]);
    const pane = createContentsPane(root, t, () => {}, {
      setClosed: async (n, close, excluded) => {
        asked.push([n, close, excluded]);
        if (close) closed.set(n, true);
        // The annotator draws Indhold again once the server answered: every button is new.
        draw();
      },
      exclusions: {
        self: 'bo',
        members: () => (fail ? Promise.reject(new Error('offline')) : Promise.resolve(MEMBERS)),
        excludedFrom: async (n) => (n === 2 ? ['carl'] : []),
      },
    });
    const draw = () => pane.render(OUTLINE, new Map(), [], null, null, closed);
    draw();
    const button = (cls: string, n: number) =>
      root.querySelector<HTMLButtonElement>(`button.${cls}[data-item="${n}"]`) as HTMLButtonElement;
    const form = () => root.querySelector<HTMLFormElement>('form');
    const boxes = () => [...root.querySelectorAll<HTMLInputElement>('form input[type=checkbox]')];
    const buttonNamed = (name: string) => [...root.querySelectorAll<HTMLButtonElement>('form button')].find((b) => b.textContent === name);
    return { root, asked, draw, button, form, boxes, buttonNamed };
  }

  it('lists the other members under "Udeluk", closes the item excluding those checked, and returns focus to the trigger', async () => {
    const s = secretaryPane();
    s.button('rn-close-item', 1).click();
    const form = s.form() as HTMLFormElement;
    expect(form.getAttribute('aria-label')).toBe('Marker som lukket punkt');
    expect(form.querySelector('legend')?.textContent).toBe('Udeluk');
    await until(() => s.boxes().length > 0);
    // The secretary is not offered; nobody is excluded yet; focus is on the first choice.
    expect(s.boxes().map((b) => b.parentElement?.textContent?.trim())).toEqual(['Anne Jensen', 'Carl Nielsen']);
    expect(s.boxes().map((b) => b.checked)).toEqual([false, false]);
    expect(document.activeElement).toBe(s.boxes()[0]);
    // A redraw while the form is open (presence, counts) leaves it and its focus alone.
    s.draw();
    expect(document.activeElement).toBe(s.boxes()[0]);
    (s.boxes()[0] as HTMLInputElement).click();
    s.buttonNamed('Luk punktet')?.click();
    await until(() => s.form() === null);
    expect(s.asked).toEqual([[1, true, ['anne']]]);
    expect(document.activeElement).toBe(s.button('rn-close-item', 1));
    expect(s.button('rn-close-item', 1).textContent).toBe('Fjern lukket punkt');
    // Drawn anew (presence, counts): the focus stays on the item's button.
    s.draw();
    expect(document.activeElement).toBe(s.button('rn-close-item', 1));
  });

  it('"Annuller" and Escape change nothing and return focus to the trigger', async () => {
    const s = secretaryPane();
    s.button('rn-close-item', 3).click();
    await until(() => s.boxes().length > 0);
    (s.boxes()[1] as HTMLInputElement).click();
    s.buttonNamed('Annuller')?.click();
    expect(s.form()).toBeNull();
    expect(document.activeElement).toBe(s.button('rn-close-item', 3));
    s.button('rn-close-item', 3).click();
    (s.form() as HTMLFormElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(s.form()).toBeNull();
    expect(document.activeElement).toBe(s.button('rn-close-item', 3));
    expect(s.asked).toEqual([]);
  });

  it('"Ret udelukkede" on a closed item shows who is excluded and keeps it closed with the new list', async () => {
    const s = secretaryPane();
    expect(s.button('rn-edit-excluded', 1)).toBeNull();
    s.button('rn-edit-excluded', 2).click();
    expect(s.form()?.getAttribute('aria-label')).toBe('Ret udelukkede');
    await until(() => s.boxes().length > 0);
    expect(s.boxes().map((b) => [b.value, b.checked])).toEqual([
      ['anne', false],
      ['carl', true],
    ]);
    (s.boxes()[0] as HTMLInputElement).click();
    (s.boxes()[1] as HTMLInputElement).click();
    s.buttonNamed('Gem udelukkede')?.click();
    await until(() => s.form() === null);
    expect(s.asked).toEqual([[2, true, ['anne']]]);
    expect(document.activeElement).toBe(s.button('rn-edit-excluded', 2));
  });

  it('still closes an item with nobody excluded when the members cannot be fetched, saying so', async () => {
    const s = secretaryPane(true);
    s.button('rn-close-item', 1).click();
    await until(() => s.root.querySelector('form [role=status]')?.textContent === 'Gruppens medlemmer kunne ikke hentes.');
    s.buttonNamed('Luk punktet')?.click();
    await until(() => s.asked.length > 0);
    expect(s.asked).toEqual([[1, true, []]]);
  });
});
