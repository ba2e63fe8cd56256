/**
 * The "Overblik" pane: tabs "Noter" and "Delte kommentarer", cards grouped under each agenda item
 * in packet order (by page when the agenda is only guessed), replies under their comment, and the
 * notes to check after a new version.
 * Renders plain data (view-model cards); every action goes back through `handlers`.
 */
import type { ItemGroup, Placed } from '@randnoter/shared/agenda/group-by-item';
import { attachmentHeading, itemHeading } from '@randnoter/shared/agenda/outline';
import { isQuestion } from '@randnoter/shared/export/meeting-brief';
import { quoteOf } from '@randnoter/shared/model/annotation';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';
import { applyColour, NOTE_COLOURS, paletteColour } from '../utils/note-colours.ts';
import type { Card } from './card.ts';
import { createCardSlots, scrollingAncestor } from './card-slots.ts';
import { splitMentions } from './mention-text.ts';

export type Tab = 'notes' | 'shared' | 'inbox';

export interface OverviewHandlers {
  select(id: string): void;
  edit(id: string): void;
  remove(id: string): void;
  reply(id: string): void;
  resolve(id: string, resolved: boolean): void;
  /** Marks a private note as a question for the meeting ("Til mødet"), or unmarks it. */
  question(id: string, marked: boolean): void;
  /** Gives a private note a colour of the palette (note-colours.ts), or the default (null). */
  colour(id: string, hex: string | null): void;
  reattach(id: string): void;
  keep(id: string): void;
}

export interface Overview {
  editorHost(tab: Tab): HTMLElement;
  /** Below the pane's title: where tools for the whole Overblik (Eksporter) go. */
  readonly actionsHost: HTMLElement;
  showTab(tab: Tab): void;
  readonly activeTab: Tab;
  render(groups: Record<'notes' | 'shared', ItemGroup<Card>[]>, moved: Card[]): void;
  /** Marks a card as focused; `reveal` also shows its tab, scrolls to it and moves keyboard focus. False when there is no such card (yet). */
  focusCard(id: string, reveal: boolean): boolean;
  /** The panel of "Til mig" (inbox-panel.ts draws it); null when the Overblik has no inbox (signed out). */
  readonly inboxHost: HTMLElement | null;
  /** Names the inbox tab, e.g. with the unread count. */
  labelInbox(text: string): void;
  /** Card ids in display order, for next/previous navigation. */
  order(): string[];
  notice(text: string | null): void;
  /** Where "Fortryd" is offered after a deletion (undo-offer.ts). */
  readonly undoHost: HTMLElement;
}

export interface OverviewOptions {
  language: string;
  /** How a card names its place; null leaves it out (HTML pages have sections, not pages). */
  pageLabel: (page: number) => string | null;
  /** The signed-in user, whose name is highlighted where a comment mentions them. */
  myId?: string | null;
  /** A third tab "Til mig" with the user's notifications (signed in only). */
  inbox?: boolean;
}

export function createOverview(root: HTMLElement, t: Messages, handlers: OverviewHandlers, options: OverviewOptions): Overview {
  const myId = options.myId ?? null;
  let active: Tab = 'notes';
  const order: Tab[] = options.inbox ? ['notes', 'shared', 'inbox'] : ['notes', 'shared'];
  const tabs = {
    notes: makeTab('notes', t.notesTab),
    shared: makeTab('shared', t.sharedTab),
    inbox: makeTab('inbox', t.inboxTab),
  } satisfies Record<Tab, { button: HTMLButtonElement; panel: HTMLElement; editor: HTMLElement; list: HTMLElement }>;
  function makeTab(id: Tab, label: string) {
    const button = h('button', { type: 'button', role: 'tab', id: `rn-tab-${id}`, 'aria-controls': `rn-panel-${id}` }, label);
    const editor = h('div', { class: 'rn-editor-host' });
    const list = h('div', { class: 'rn-cards' });
    const panel = h('section', { role: 'tabpanel', id: `rn-panel-${id}`, 'aria-labelledby': `rn-tab-${id}` }, editor, list);
    button.addEventListener('click', () => showTab(id));
    button.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        const step = event.key === 'ArrowRight' ? 1 : -1;
        const next = order[(order.indexOf(id) + step + order.length) % order.length] ?? 'notes';
        showTab(next);
        tabs[next].button.focus();
      }
    });
    return { button, panel, editor, list };
  }
  function showTab(tab: Tab) {
    active = tab;
    for (const id of order) {
      const parts = tabs[id];
      const isActive = id === tab;
      parts.button.setAttribute('aria-selected', String(isActive));
      parts.button.tabIndex = isActive ? 0 : -1;
      parts.panel.hidden = !isActive;
    }
  }
  const notice = h('p', { class: 'rn-notice', role: 'alert', hidden: true });
  const moved = h('section', { class: 'rn-moved', hidden: true });
  // Polite: the user just pressed "Slet"; the button itself takes the focus. <output> is a status
  // for assistive technology without an explicit role="status", which stays the status line's alone.
  const undoHost = h('output', { class: 'rn-undo', 'aria-live': 'polite', hidden: true });
  const actionsHost = h('div', { class: 'rn-overview-actions' });
  root.append(
    h('h2', { class: 'rn-pane-title' }, t.overview),
    actionsHost,
    notice,
    undoHost,
    moved,
    h('div', { role: 'tablist', 'aria-label': t.overview }, ...order.map((id) => tabs[id].button)),
    ...order.map((id) => tabs[id].panel),
  );
  showTab('notes');

  const time = new Intl.DateTimeFormat(options.language === 'en' ? 'en-GB' : 'da-DK', { dateStyle: 'short', timeStyle: 'short' });
  const button = (label: string, action: () => void, extra: Record<string, string> = {}) =>
    h('button', { type: 'button', onclick: action, ...extra }, label);

  /**
   * Cards are rebuilt only when what they show changed: with a thousand notes, rebuilding every
   * card on every keystroke elsewhere would cost more than the change itself. And a card is built
   * only when near the visible part of the list (card-slots.ts): the others are empty boxes.
   */
  const built = new Map<string, { signature: string; element: HTMLElement }>();
  const slots = {
    notes: createCardSlots({ scroller: () => scrollingAncestor(root), margin: 800, eager: 30, estimate: 110 }),
    shared: createCardSlots({ scroller: () => scrollingAncestor(root), margin: 800, eager: 30, estimate: 110 }),
  };
  /** Card ids (replies too) in display order per tab, and the top-level card that shows each. */
  const ids: Record<'notes' | 'shared', string[]> = { notes: [], shared: [] };
  const shownIn = new Map<string, { tab: 'notes' | 'shared'; slot: string }>();
  const signatureOf = (card: Card): string => {
    const a = card.annotation;
    return JSON.stringify([
      a.modified,
      a.body,
      a.resolved,
      a.tags,
      a.color,
      a.resolvedBy?.name,
      a.resolvedAt,
      a.author?.name,
      card.status,
      card.page,
      card.pending,
      card.groupName,
      card.mine,
      card.mentions,
      card.replies.map(signatureOf),
    ]);
  };
  const cardFor = (card: Card, place: 'list' | 'moved' = 'list'): HTMLElement => {
    const key = `${place}:${card.annotation.id}`;
    const signature = signatureOf(card);
    const cached = built.get(key);
    if (cached && cached.signature === signature) return cached.element;
    const entry = { signature, element: buildCard(card, false) };
    built.set(key, entry);
    return entry.element;
  };
  /** "Farve": the palette's colours by name (a select: one tab stop, arrow keys to choose). */
  const colourChoice = (id: string, current: string | null): HTMLElement => {
    const select = h(
      'select',
      { class: 'rn-colour', 'aria-label': t.colour, title: t.colour },
      h('option', { value: '' }, t.colourDefault),
      ...NOTE_COLOURS.map((c) => h('option', { value: c.hex }, t.colours[c.key])),
    );
    select.value = paletteColour(current) ?? '';
    select.addEventListener('change', () => handlers.colour(id, select.value || null));
    return select;
  };
  /** The text, with each mention as the person's name; the user's own name highlighted (<mark>). */
  const bodyOf = (card: Card): Array<string | HTMLElement> =>
    splitMentions(card.annotation.body, card.mentions).map((part) =>
      'person' in part
        ? part.person.id === myId
          ? h('mark', { class: 'rn-mention rn-mention-me', title: t.mentionsYou }, part.text)
          : h('span', { class: 'rn-mention' }, part.text)
        : part.text,
    );
  const buildCard = (card: Card, nested: boolean): HTMLElement => {
    const a = card.annotation;
    const quote = nested ? undefined : quoteOf(a.target);
    const when = a.modified ? time.format(new Date(a.modified)) : '';
    const meta = [nested ? null : options.pageLabel(card.page), card.groupName, a.author?.name, when].filter(Boolean).join(' · ');
    const buttons: HTMLElement[] = [];
    if (a.kind === 'comment') {
      buttons.push(button(t.reply, () => handlers.reply(a.id)));
      buttons.push(button(a.resolved ? t.reopen : t.resolve, () => handlers.resolve(a.id, !a.resolved)));
    }
    const question = a.kind === 'note' && isQuestion(a);
    if (a.kind === 'note') {
      buttons.push(button(t.questionForMeeting, () => handlers.question(a.id, !question), { 'aria-pressed': String(question) }));
      buttons.push(colourChoice(a.id, a.color));
    }
    if (a.kind === 'note' || card.mine) {
      buttons.push(
        button(t.edit, () => handlers.edit(a.id)),
        button(t.delete, () => handlers.remove(a.id)),
      );
    }
    const place = options.pageLabel(card.page);
    const label = [
      a.kind === 'note' ? t.notesTab : a.kind === 'reply' ? t.replyLabel : t.sharedTab,
      place,
      a.author?.name,
      card.mentionsMe ? t.mentionsYou : null,
    ]
      .filter(Boolean)
      .join(', ');
    const el = h(
      'article',
      {
        class: `rn-card rn-card-${a.kind}${a.resolved ? ' rn-resolved' : ''}`,
        'data-annotation-id': a.id,
        'data-status': card.status,
        tabindex: 0,
        'aria-label': label,
      },
      quote ? h('blockquote', { class: 'rn-quote' }, quote.exact) : null,
      a.target.region && !nested ? h('p', { class: 'rn-region-label' }, t.regionNote) : null,
      h('p', { class: 'rn-body' }, ...bodyOf(card)),
      h(
        'p',
        { class: 'rn-meta' },
        meta,
        card.pending ? h('span', { class: 'rn-badge rn-pending' }, t.pendingBadge) : null,
        question ? h('span', { class: 'rn-badge rn-question' }, t.questionBadge) : null,
        a.resolved
          ? h(
              'span',
              { class: 'rn-badge rn-resolved-badge' },
              a.resolvedBy ? t.resolvedBy(a.resolvedBy.name, a.resolvedAt ? time.format(new Date(a.resolvedAt)) : '') : t.resolved,
            )
          : null,
        card.status !== 'anchored' ? h('span', { class: 'rn-badge' }, card.status === 'fuzzy' ? t.statusFuzzy : t.statusOrphaned) : null,
      ),
      h('div', { class: 'rn-card-buttons' }, ...buttons),
      card.replies.length > 0 ? h('div', { class: 'rn-replies' }, ...card.replies.map((r) => buildCard(r, true))) : null,
    );
    if (a.kind === 'note') applyColour(el, a.color);
    el.addEventListener('click', (event) => {
      const on = event.target as Element;
      if (!on.closest('button, select') && on.closest('.rn-card') === el) handlers.select(a.id);
    });
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === el) handlers.select(a.id);
    });
    return el;
  };

  const groupHeading = (group: ItemGroup<Card>) =>
    group.page !== null ? t.pageGroup(group.page) : group.item ? itemHeading(group.item) : t.outsideAgenda;
  const slotFor = (tab: 'notes' | 'shared', card: Card): HTMLElement => {
    const slot = card.annotation.id;
    const note = (c: Card) => {
      ids[tab].push(c.annotation.id);
      shownIn.set(c.annotation.id, { tab, slot });
      for (const reply of c.replies) note(reply);
    };
    note(card);
    return slots[tab].place(slot, () => cardFor(card));
  };
  const groupSection = (tab: 'notes' | 'shared', group: ItemGroup<Card>) =>
    h(
      'section',
      { class: 'rn-group' },
      h('h3', {}, groupHeading(group)),
      ...group.entries.map((e: Placed<Card>) => slotFor(tab, e.value)),
      ...group.attachments.map((a) =>
        h(
          'section',
          { class: 'rn-attachment' },
          h('h4', {}, attachmentHeading(a.attachment)),
          ...a.entries.map((e) => slotFor(tab, e.value)),
        ),
      ),
    );

  return {
    editorHost: (tab) => tabs[tab].editor,
    inboxHost: options.inbox ? tabs.inbox.list : null,
    labelInbox(text) {
      tabs.inbox.button.textContent = text;
    },
    actionsHost,
    undoHost,
    showTab,
    get activeTab() {
      return active;
    },
    render(groups, movedCards) {
      // A card with the keyboard focus that is drawn anew (what it shows changed: a reply, a name
      // learnt for a mention) gives the focus to its new self, not to the page.
      const active = document.activeElement;
      const focusedCard = active instanceof HTMLElement && active.matches('.rn-card') && root.contains(active) ? active : null;
      shownIn.clear();
      for (const tab of ['notes', 'shared'] as const) {
        ids[tab] = [];
        slots[tab].begin();
        tabs[tab].list.replaceChildren(
          ...(groups[tab].length === 0 ? [h('p', { class: 'rn-empty' }, t.noNotes)] : groups[tab].map((g) => groupSection(tab, g))),
        );
        slots[tab].finish();
      }
      moved.hidden = movedCards.length === 0;
      moved.replaceChildren(
        h('h3', {}, t.movedTitle),
        ...movedCards.map((card) =>
          h(
            'div',
            { class: 'rn-moved-entry', 'data-annotation-id': card.annotation.id },
            cardFor(card, 'moved'),
            h(
              'div',
              { class: 'rn-card-buttons' },
              button(t.reattach, () => handlers.reattach(card.annotation.id)),
              button(t.keep, () => handlers.keep(card.annotation.id)),
            ),
          ),
        ),
      );
      // Cached cards of notes gone (or of cards no longer moved) go too.
      const present = new Set([...shownIn.values()].map((s) => `list:${s.slot}`));
      for (const card of movedCards) present.add(`moved:${card.annotation.id}`);
      for (const key of built.keys()) if (!present.has(key)) built.delete(key);
      if (focusedCard && !focusedCard.isConnected) {
        const again = root.querySelector<HTMLElement>(
          `.rn-card[data-annotation-id="${CSS.escape(focusedCard.dataset.annotationId ?? '')}"]`,
        );
        again?.focus({ preventScroll: true });
      }
    },
    focusCard(id, reveal) {
      for (const el of root.querySelectorAll('.rn-card.rn-focused')) el.classList.remove('rn-focused');
      const shown = shownIn.get(id);
      if (shown) slots[shown.tab].fill(shown.slot);
      const card = root.querySelector<HTMLElement>(`.rn-card[data-annotation-id="${CSS.escape(id)}"]`);
      if (!card) return false;
      card.classList.add('rn-focused');
      if (!reveal) return true;
      const panel = card.closest('[role="tabpanel"]');
      const tab = order.find((id) => panel?.id === `rn-panel-${id}`);
      if (tab) showTab(tab);
      card.scrollIntoView({ block: 'nearest' });
      card.focus({ preventScroll: true });
      return true;
    },
    order() {
      return active === 'inbox' ? [] : [...ids[active]];
    },
    notice(text) {
      notice.hidden = text === null;
      notice.textContent = text ?? '';
    },
  };
}
