/**
 * The "Overblik" pane: tabs "Noter" and "Delte kommentarer", cards grouped under each Punkt in
 * packet order. Renders from plain data; the viewer decides what the data is.
 */
import type { ItemGroup, Placed } from '@randnoter/shared/agenda/group-by-item';
import type { Annotation } from '@randnoter/shared/model/annotation';
import { quoteOf } from '@randnoter/shared/model/annotation';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export type Tab = 'notes' | 'shared';

export interface Card {
  annotation: Annotation;
  status: 'anchored' | 'fuzzy' | 'orphaned';
}

export interface OverviewHandlers {
  select(id: string): void;
  edit(id: string): void;
  remove(id: string): void;
}

export interface Overview {
  /** Where editors open (top of the active panel). */
  editorHost(tab: Tab): HTMLElement;
  showTab(tab: Tab): void;
  render(tab: Tab, groups: ItemGroup<Card>[]): void;
  focusCard(id: string): void;
}

export function createOverview(root: HTMLElement, t: Messages, handlers: OverviewHandlers, language: string): Overview {
  const tabs: Record<Tab, { button: HTMLButtonElement; panel: HTMLElement; editor: HTMLElement; list: HTMLElement }> = {
    notes: makeTab('notes', t.notesTab),
    shared: makeTab('shared', t.sharedTab),
  };
  function makeTab(id: Tab, label: string) {
    const button = h('button', { type: 'button', role: 'tab', id: `rn-tab-${id}`, 'aria-controls': `rn-panel-${id}` }, label);
    const editor = h('div', { class: 'rn-editor-host' });
    const list = h('div', { class: 'rn-cards' });
    const panel = h('section', { role: 'tabpanel', id: `rn-panel-${id}`, 'aria-labelledby': `rn-tab-${id}` }, editor, list);
    button.addEventListener('click', () => showTab(id));
    return { button, panel, editor, list };
  }
  function showTab(tab: Tab) {
    for (const [id, parts] of Object.entries(tabs) as Array<[Tab, (typeof tabs)[Tab]]>) {
      const active = id === tab;
      parts.button.setAttribute('aria-selected', String(active));
      parts.button.tabIndex = active ? 0 : -1;
      parts.panel.hidden = !active;
    }
  }
  root.append(
    h('h2', { class: 'rn-pane-title' }, t.overview),
    h('div', { role: 'tablist', 'aria-label': t.overview }, tabs.notes.button, tabs.shared.button),
    tabs.notes.panel,
    tabs.shared.panel,
  );
  showTab('notes');

  const time = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'da-DK', { dateStyle: 'short', timeStyle: 'short' });
  const cardFor = ({ value: card, page }: Placed<Card>): HTMLElement => {
    const a = card.annotation;
    const quote = quoteOf(a.target);
    const when = a.modified ? time.format(new Date(a.modified)) : '';
    const el = h(
      'article',
      {
        class: `rn-card rn-card-${a.kind}`,
        'data-annotation-id': a.id,
        'data-status': card.status,
        tabindex: 0,
        'aria-label': `${a.kind === 'note' ? t.notesTab : t.sharedTab}, ${t.page(page)}`,
      },
      quote ? h('blockquote', { class: 'rn-quote' }, quote.exact) : null,
      h('p', { class: 'rn-body' }, a.body),
      h('p', { class: 'rn-meta' }, [t.page(page), a.author?.name, when].filter(Boolean).join(' · ')),
      h(
        'div',
        { class: 'rn-card-buttons' },
        h('button', { type: 'button', onclick: () => handlers.edit(a.id) }, t.edit),
        h('button', { type: 'button', onclick: () => handlers.remove(a.id) }, t.delete),
      ),
    );
    el.addEventListener('click', (event) => {
      if (!(event.target as Element).closest('button')) handlers.select(a.id);
    });
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === el) handlers.select(a.id);
    });
    return el;
  };

  return {
    editorHost: (tab) => tabs[tab].editor,
    showTab,
    render(tab, groups) {
      const list = tabs[tab].list;
      if (groups.length === 0) {
        list.replaceChildren(h('p', { class: 'rn-empty' }, t.noNotes));
        return;
      }
      list.replaceChildren(
        ...groups.map((group) =>
          h(
            'section',
            { class: 'rn-group' },
            h('h3', {}, group.item ? `Punkt ${group.item.number}: ${group.item.title}` : t.outsideAgenda),
            ...group.entries.map(cardFor),
            ...group.attachments.map((a) =>
              h(
                'section',
                { class: 'rn-attachment' },
                h('h4', {}, `Bilag ${a.attachment.number}: ${a.attachment.title}`),
                ...a.entries.map(cardFor),
              ),
            ),
          ),
        ),
      );
    },
    focusCard(id) {
      for (const el of root.querySelectorAll('.rn-card.rn-focused')) el.classList.remove('rn-focused');
      const card = root.querySelector<HTMLElement>(`.rn-card[data-annotation-id="${CSS.escape(id)}"]`);
      if (!card) return;
      card.classList.add('rn-focused');
      card.scrollIntoView({ block: 'nearest' });
      card.focus({ preventScroll: true });
    },
  };
}
