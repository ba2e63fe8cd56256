import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcut-keys.ts';

const press = (key: string, code?: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) =>
  shortcutOf({ altKey: true, ctrlKey: false, metaKey: false, key, ...(code ? { code } : {}), ...mods });

describe('keyboard shortcuts', () => {
  it('reads Alt+letter by the letter, and by the key when Alt types another character (a Mac)', () => {
    expect(press('n')).toBe('note');
    expect(press('C')).toBe('comment');
    expect(press('˜', 'KeyN')).toBe('note');
    expect(press('ç', 'KeyC')).toBe('comment');
    expect(press('∫', 'KeyS')).toBe('toggle-sidebar');
    expect(press('j', 'KeyJ')).toBe('next');
    expect(press('k', 'KeyK')).toBe('previous');
  });

  it('leaves other keys and Ctrl or Cmd combinations to the browser', () => {
    expect(press('x', 'KeyX')).toBeNull();
    expect(press('n', 'KeyN', { ctrlKey: true })).toBeNull();
    expect(press('n', 'KeyN', { metaKey: true })).toBeNull();
    expect(press('n', 'KeyN', { altKey: false })).toBeNull();
  });
});
