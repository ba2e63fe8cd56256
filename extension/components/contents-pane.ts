/**
 * "Indhold": the packet's agenda items and their attachments under the packet's own labels
 * ("Sag 3: …"), each with its number of notes and who is reading it now; choosing one jumps
 * there. A guessed agenda says so above the list (the notes are then grouped by page); a
 * corrected one says whose correction it is. Where corrections are possible, "Ret indhold" opens
 * the editor in the pane's place (agenda-editor.ts).
 */
import { type AgendaOutline, attachmentHeading, defaultItemLabel, isGuessed, itemHeading } from '@randnoter/shared/agenda/outline';
import type { GroupMember } from '@randnoter/shared/protocol/http-api';
import type { Messages } from '../i18n/messages.ts';
import type { ClosedItems } from '../sync/closed-routing.ts';
import { h } from '../utils/dom.ts';
import { createCloseItemForm } from './close-item-form.ts';

export interface Reader {
  name: string;
  color: string;
  item: number | null;
}

export interface ContentsPane {
  /** `source`: where the agenda comes from, when it is not the packet's own detection ("Rettet af …"). */
  render(
    outline: AgendaOutline,
    counts: ReadonlyMap<number, number>,
    readers: readonly Reader[],
    current: number | null,
    source?: string | null,
    /** Closed items (padlock): item number → whether the user may read it. */
    closed?: ClosedItems,
  ): void;
  /** Hides the list and gives its place to an editor; `stopEditing` brings it back and focuses "Ret indhold". */
  startEditing(): HTMLElement;
  stopEditing(): void;
}

export interface ContentsOptions {
  /** Shows "Ret indhold", which calls this. */
  correct?: () => void;
  /** For a secretary: shows "Marker som lukket punkt" / "Fjern lukket punkt" on each item. */
  setClosed?: (itemNumber: number, closed: boolean, excluded?: readonly string[]) => void | Promise<void>;
  /**
   * With `setClosed`: "Marker som lukket punkt" opens a form to exclude members first, and a closed
   * item gets "Ret udelukkede". The secretary (`self`) is not offered.
   */
  exclusions?: {
    self: string;
    members(): Promise<readonly GroupMember[]>;
    excludedFrom(itemNumber: number): Promise<readonly string[]>;
  };
}

const triggerSelector = (itemNumber: number, mode: 'close' | 'edit') =>
  `button.${mode === 'close' ? 'rn-close-item' : 'rn-edit-excluded'}[data-item="${itemNumber}"]`;

/** The buttons of an item whose focus survives the list being drawn anew. */
const ITEM_BUTTONS = ['rn-item-jump', 'rn-close-item', 'rn-edit-excluded'];

/**
 * Where focus is to go back to after Indhold under `root` is drawn anew (presence and counts
 * redraw it; closing an item that has comments rewrites the group's room and the viewer restarts):
 * the item's button that has focus, or the secretary's button that opened the form that has it.
 */
export function focusToKeep(root: HTMLElement): string | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !root.contains(active)) return null;
  const form = active.closest<HTMLElement>('form.rn-close-item-form');
  if (form) return form.dataset.returnFocus ?? null;
  const kind = ITEM_BUTTONS.find((c) => active.classList.contains(c));
  const item = active.dataset.item;
  return kind && item !== undefined ? `button.${kind}[data-item="${item}"]` : null;
}

export function createContentsPane(
  root: HTMLElement,
  t: Messages,
  jump: (page: number) => void,
  options: ContentsOptions = {},
): ContentsPane {
  const list = h('ul', { class: 'rn-agenda' });
  const present = h('ul', { class: 'rn-presence', 'aria-label': t.readers });
  const guessed = h('p', { class: 'rn-guessed', role: 'note', hidden: true }, t.agendaGuessed);
  const origin = h('p', { class: 'rn-agenda-source', role: 'note', hidden: true });
  const correct = options.correct ? h('button', { type: 'button', class: 'rn-correct' }, t.fixContents) : null;
  correct?.addEventListener('click', () => options.correct?.());
  const editorHost = h('div', { class: 'rn-fix-host', hidden: true });
  // Outside the list, so the form and its focus outlive the list's redrawing (presence, counts).
  const formHost = h('div', { class: 'rn-close-item-host', hidden: true });
  const view = h('div', { class: 'rn-contents-view' }, guessed, origin, correct, present, formHost, list);
  root.append(view, editorHost);
  const triggerOf = (itemNumber: number, mode: 'close' | 'edit') =>
    list.querySelector<HTMLButtonElement>(triggerSelector(itemNumber, mode));

  function openForm(itemNumber: number, label: string, mode: 'close' | 'edit'): void {
    const { setClosed, exclusions } = options;
    if (!setClosed || !exclusions) return;
    const form = createCloseItemForm({
      t,
      mode,
      itemLabel: label,
      members: exclusions.members().then((all) => all.filter((m) => m.id !== exclusions.self)),
      excluded: mode === 'edit' ? exclusions.excludedFrom(itemNumber) : Promise.resolve([]),
      submit: async (excluded) => {
        await setClosed(itemNumber, true, excluded);
      },
      done: () => {
        formHost.replaceChildren();
        formHost.hidden = true;
        // The list may have been drawn again meanwhile: the item's button of the same kind now.
        triggerOf(itemNumber, mode)?.focus();
      },
    });
    form.dataset.returnFocus = triggerSelector(itemNumber, mode);
    formHost.replaceChildren(form);
    formHost.hidden = false;
    form.focus();
  }

  return {
    render(outline, counts, readers, current, source = null, closed = new Map()) {
      guessed.hidden = !isGuessed(outline);
      origin.hidden = source === null;
      origin.textContent = source ?? '';
      const labelOf = (n: number) => outline.items.find((i) => i.number === n)?.label ?? defaultItemLabel(n);
      present.replaceChildren(
        ...readers.map((r) =>
          h(
            'li',
            {},
            h('span', { class: 'rn-dot', style: `background:${/^#[0-9a-f]{6}$/i.test(r.color) ? r.color : '#888'}` }),
            `${r.name}${r.item !== null ? ` · ${labelOf(r.item)}` : ''}`,
          ),
        ),
      );
      const keep = list.contains(document.activeElement) ? focusToKeep(list) : null;
      list.replaceChildren(
        ...outline.items.map((item) => {
          const isClosed = closed.has(item.number);
          // Counts on a closed item come only from its room, which only those allowed receive.
          const count = counts.get(item.number) ?? 0;
          const here = readers.filter((r) => r.item === item.number).map((r) => r.name);
          const label = itemHeading(item);
          const lock = isClosed ? (closed.get(item.number) ? t.closedItem : t.closedNoAccess) : null;
          const setClosed = options.setClosed;
          const withForm = options.exclusions !== undefined;
          return h(
            'li',
            { class: isClosed ? 'rn-closed' : null },
            // The button's name says it all (lock, count, readers); the count and readers shown
            // beside it are for the eye, outside the button, so its visible text is in its name.
            h(
              'div',
              { class: 'rn-item-row' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'rn-item-jump',
                  'data-item': item.number,
                  'aria-current': current === item.number ? 'location' : null,
                  'aria-label': `${label}${lock ? `, ${lock}` : ''}${count > 0 ? `, ${t.noteCount(count)}` : ''}${here.length > 0 ? `, ${t.readingNow(here.join(', '))}` : ''}`,
                  onclick: () => jump(item.firstPage),
                },
                lock ? h('span', { class: 'rn-lock', 'aria-hidden': 'true', title: lock }, '🔒 ') : null,
                label,
              ),
              count > 0 ? h('span', { class: 'rn-count', 'aria-hidden': 'true' }, String(count)) : null,
              here.length > 0 ? h('span', { class: 'rn-here', 'aria-hidden': 'true' }, here.join(', ')) : null,
            ),
            setClosed
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'rn-close-item',
                    'data-item': item.number,
                    'aria-label': `${isClosed ? t.unmarkClosed : t.markClosed}: ${label}`,
                    onclick: () => {
                      if (!isClosed && withForm) openForm(item.number, label, 'close');
                      else void setClosed(item.number, !isClosed);
                    },
                  },
                  isClosed ? t.unmarkClosed : t.markClosed,
                )
              : null,
            setClosed && withForm && isClosed
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'rn-edit-excluded',
                    'data-item': item.number,
                    'aria-label': `${t.editExcluded}: ${label}`,
                    onclick: () => openForm(item.number, label, 'edit'),
                  },
                  t.editExcluded,
                )
              : null,
            item.attachments.length > 0
              ? h(
                  'ul',
                  {},
                  ...item.attachments.map((a) =>
                    h('li', {}, h('button', { type: 'button', onclick: () => jump(a.firstPage) }, attachmentHeading(a))),
                  ),
                )
              : null,
          );
        }),
      );
      if (keep) list.querySelector<HTMLElement>(keep)?.focus();
    },
    startEditing() {
      view.hidden = true;
      editorHost.hidden = false;
      root.classList.add('rn-editing');
      return editorHost;
    },
    stopEditing() {
      editorHost.replaceChildren();
      editorHost.hidden = true;
      view.hidden = false;
      root.classList.remove('rn-editing');
      correct?.focus();
    },
  };
}
