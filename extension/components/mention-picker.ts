/**
 * The @mention picker on a comment's text area: typing `@` offers the comment's audience by name
 * in a listbox below the text, filtered as the user types. Keyboard first: ArrowDown/ArrowUp move
 * (aria-activedescendant, so the caret stays in the text), Enter or Tab choose, Escape closes the
 * list only. The text area stays a text box (ARIA in HTML allows no other role on a textarea);
 * aria-autocomplete, aria-controls and aria-activedescendant tie the list to it, and a polite
 * status says how many are offered.
 */
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';
import { filterPeople, insertMention, type MentionQuery, mentionQueryAt, mentionsIn, type Person } from './mention-text.ts';

export interface MentionPicker {
  /** The list and its status, to place right after the text area. */
  readonly element: HTMLElement;
  /** The ids of the people still mentioned in the text (chosen now, or mentioned before an edit). */
  mentions(): string[];
  destroy(): void;
}

export interface MentionPickerOptions {
  /** Whom the comment may mention; asked when an `@` is typed (the last list known when offline). */
  audience(): Promise<readonly Person[]>;
  /** People the comment mentioned before (an edit): still mentioned while their @Name stays. */
  initial?: readonly Person[];
  /** Ids unique on the page. */
  idPrefix?: string;
}

export function attachMentionPicker(textarea: HTMLTextAreaElement, t: Messages, options: MentionPickerOptions): MentionPicker {
  const prefix = options.idPrefix ?? 'rn-mention';
  const listbox = h('ul', {
    id: `${prefix}-list`,
    role: 'listbox',
    class: 'rn-mention-list',
    'aria-label': t.mentionListLabel,
    hidden: true,
  });
  // <output>: polite, without the explicit role="status" that stays the status line's alone.
  const status = h('output', { class: 'rn-visually-hidden', 'aria-live': 'polite' });
  const element = h('div', { class: 'rn-mention-picker' }, listbox, status);
  textarea.setAttribute('aria-autocomplete', 'list');
  textarea.setAttribute('aria-controls', listbox.id);

  const chosen: Person[] = [...(options.initial ?? [])];
  let people: readonly Person[] = [];
  let loaded: Promise<void> | null = null;
  /** Where the @ is that the audience was last asked for. */
  let loadedFor: number | null = null;
  let query: MentionQuery | null = null;
  let offered: Person[] = [];
  let active = 0;

  const load = () => {
    loaded ??= options.audience().then(
      (list) => {
        people = list;
      },
      () => {
        loaded = null; // nothing known: ask again at the next @
      },
    );
    return loaded;
  };

  function close(): void {
    query = null;
    loadedFor = null;
    offered = [];
    listbox.hidden = true;
    listbox.replaceChildren();
    textarea.removeAttribute('aria-activedescendant');
  }

  function show(): void {
    listbox.replaceChildren(
      ...offered.map((person, i) => {
        const option = h('li', { id: `${prefix}-option-${i}`, role: 'option', 'aria-selected': String(i === active) }, person.name);
        // mousedown, not click: the text area keeps the focus (and the caret).
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(i);
        });
        return option;
      }),
    );
    listbox.hidden = offered.length === 0;
    if (offered.length > 0) textarea.setAttribute('aria-activedescendant', `${prefix}-option-${active}`);
    else textarea.removeAttribute('aria-activedescendant');
  }

  async function update(): Promise<void> {
    const found = mentionQueryAt(textarea.value, textarea.selectionStart);
    if (!found) {
      if (query) status.textContent = '';
      close();
      return;
    }
    // A new @ asks again (the group chosen for a new comment may have changed); typing on after it does not.
    if (found.at !== loadedFor) {
      loaded = null;
      loadedFor = found.at;
    }
    await load();
    // The text may have changed while the audience was asked for: read it again.
    const now = mentionQueryAt(textarea.value, textarea.selectionStart);
    if (!now) return close();
    query = now;
    offered = filterPeople(people, now.query);
    active = 0;
    status.textContent = offered.length === 0 ? t.mentionNone : t.mentionCount(offered.length);
    show();
  }

  function choose(index: number): void {
    const person = offered[index];
    if (!query || !person) return;
    const next = insertMention(textarea.value, query, textarea.selectionStart, person);
    textarea.value = next.text;
    textarea.setSelectionRange(next.caret, next.caret);
    if (!chosen.some((p) => p.id === person.id)) chosen.push(person);
    status.textContent = t.mentionChosen(person.name);
    close();
  }

  const onInput = () => void update();
  const onKeydown = (event: KeyboardEvent) => {
    // Enter while an input method composes a word is the input method's.
    if (listbox.hidden || offered.length === 0 || event.isComposing) return;
    const move = (to: number) => {
      event.preventDefault();
      active = (to + offered.length) % offered.length;
      show();
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if ((event.key === 'Enter' && !event.ctrlKey && !event.metaKey) || (event.key === 'Tab' && !event.shiftKey)) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape') {
      // Closes the list, not the editor around it.
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };
  const onBlur = () => close();
  textarea.addEventListener('input', onInput);
  textarea.addEventListener('keydown', onKeydown);
  textarea.addEventListener('blur', onBlur);

  return {
    element,
    mentions: () => mentionsIn(textarea.value, chosen),
    destroy() {
      textarea.removeEventListener('input', onInput);
      textarea.removeEventListener('keydown', onKeydown);
      textarea.removeEventListener('blur', onBlur);
    },
  };
}
