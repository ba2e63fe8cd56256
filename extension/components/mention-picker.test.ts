// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messages } from '../i18n/messages.ts';
import { openEditor } from './note-editor.ts';

/** Polls (vi.waitFor retries only while the check throws). */
const waitFor = (check: () => boolean) =>
  vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });

const audience = [
  { id: 'u-anne', name: 'Anne Jensen' },
  { id: 'u-bo', name: 'Bo Hansen' },
  { id: 'u-boel', name: 'Boel Ørsted' },
];

/** Types `text` at the caret as a user would: the value changes, then an input event. */
function type(textarea: HTMLTextAreaElement, text: string): void {
  const caret = textarea.selectionStart;
  textarea.value = textarea.value.slice(0, caret) + text + textarea.value.slice(textarea.selectionEnd);
  textarea.setSelectionRange(caret + text.length, caret + text.length);
  textarea.dispatchEvent(new Event('input'));
}
const press = (textarea: HTMLTextAreaElement, key: string) =>
  textarea.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

describe('the mention picker in the comment editor', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  const open = (initial = '', asked: { n: number } = { n: 0 }) => {
    const host = document.createElement('div');
    document.body.append(host);
    const result = openEditor(host, messages('da'), {
      quote: null,
      initial,
      mentions: {
        audience: async () => {
          asked.n++;
          return audience;
        },
      },
    });
    const textarea = host.querySelector('textarea') as HTMLTextAreaElement;
    const listbox = host.querySelector('[role="listbox"]') as HTMLElement;
    const options = () => [...listbox.querySelectorAll('[role="option"]')].map((o) => o.textContent);
    const active = () => document.getElementById(textarea.getAttribute('aria-activedescendant') ?? '')?.textContent ?? null;
    return { host, result, textarea, listbox, options, active };
  };

  it('offers the audience after @, filters as the user types, moves with the arrows and inserts the chosen name with Enter', async () => {
    const { result, textarea, listbox, options, active, host } = open();
    expect(textarea.getAttribute('aria-controls')).toBe(listbox.id);
    expect(textarea.getAttribute('aria-autocomplete')).toBe('list');
    type(textarea, 'Spørg @');
    await waitFor(() => options().length === 3);
    expect(listbox.hidden).toBe(false);
    expect(active()).toBe('Anne Jensen');
    type(textarea, 'bo');
    await waitFor(() => options().length === 2);
    expect(options()).toEqual(['Bo Hansen', 'Boel Ørsted']);
    press(textarea, 'ArrowDown');
    expect(active()).toBe('Boel Ørsted');
    press(textarea, 'ArrowDown'); // wraps round
    expect(active()).toBe('Bo Hansen');
    press(textarea, 'ArrowUp');
    expect(active()).toBe('Boel Ørsted');
    press(textarea, 'ArrowUp');
    press(textarea, 'Enter');
    expect(textarea.value).toBe('Spørg @Bo Hansen ');
    expect(listbox.hidden).toBe(true);
    expect(textarea.hasAttribute('aria-activedescendant')).toBe(false);
    // Enter chose; it did not save the comment.
    expect(host.querySelector('form')).not.toBeNull();
    type(textarea, 'om det.');
    (host.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await expect(result).resolves.toEqual({ body: 'Spørg @Bo Hansen om det.', mentions: ['u-bo'] });
  });

  it('chooses with Tab too; Escape closes the list and not the editor; a name deleted before saving is not mentioned', async () => {
    const { result, textarea, listbox, options, host } = open();
    type(textarea, '@an');
    await waitFor(() => options().length === 1);
    press(textarea, 'Tab');
    expect(textarea.value).toBe('@Anne Jensen ');
    type(textarea, 'og @');
    await waitFor(() => !listbox.hidden);
    press(textarea, 'Escape');
    expect(listbox.hidden).toBe(true);
    expect(host.querySelector('form')).not.toBeNull();
    // The user deletes Anne's name again and writes plain text.
    textarea.value = 'Ingen nævnt';
    textarea.dispatchEvent(new Event('input'));
    (host.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await expect(result).resolves.toEqual({ body: 'Ingen nævnt', mentions: [] });
  });

  it('says when nobody matches, asks for the audience once, and keeps the people an edited comment mentioned', async () => {
    const asked = { n: 0 };
    const host = document.createElement('div');
    document.body.append(host);
    const result = openEditor(host, messages('da'), {
      quote: null,
      initial: 'Til @Bo Hansen',
      mentions: {
        audience: async () => {
          asked.n++;
          return audience;
        },
        initial: [{ id: 'u-bo', name: 'Bo Hansen' }],
      },
    });
    const textarea = host.querySelector('textarea') as HTMLTextAreaElement;
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    type(textarea, ' og @carl');
    await waitFor(() => host.querySelector('output')?.textContent === 'Ingen at nævne med det navn');
    expect((host.querySelector('[role="listbox"]') as HTMLElement).hidden).toBe(true);
    type(textarea, 'a');
    await waitFor(() => asked.n === 1 && host.querySelector('output')?.textContent === 'Ingen at nævne med det navn');
    expect(asked.n).toBe(1);
    (host.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await expect(result).resolves.toEqual({ body: 'Til @Bo Hansen og @carla', mentions: ['u-bo'] });
  });

  it('asks for the audience again at a new @ (the group chosen for a new comment may have changed)', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    let group = 'social';
    const lists: Record<string, typeof audience> = { social: audience, teknik: [{ id: 'u-carl', name: 'Carl Nielsen' }] };
    void openEditor(host, messages('da'), { quote: null, initial: '', mentions: { audience: async () => lists[group] ?? [] } });
    const textarea = host.querySelector('textarea') as HTMLTextAreaElement;
    const options = () => [...host.querySelectorAll('[role="option"]')].map((o) => o.textContent);
    type(textarea, '@');
    await waitFor(() => options().length === 3);
    press(textarea, 'Escape');
    group = 'teknik';
    type(textarea, ' og @');
    await waitFor(() => options().length === 1);
    expect(options()).toEqual(['Carl Nielsen']);
  });
});
