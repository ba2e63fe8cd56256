/**
 * A virtualised list of cards: every top-level card has a slot, the same element across renders,
 * that holds the card only while it is near the visible part of its scrolling pane, and otherwise
 * stands empty at the card's last measured (or an estimated) height. A thousand notes thus cost a
 * thousand empty boxes and a screenful of cards, on every render and every scrolled frame.
 */
import { h } from '../utils/dom.ts';

export interface CardSlots {
  /** Starts a render: slots not placed again before `finish` are dropped. */
  begin(): void;
  /**
   * The slot of card `id`; `build` gives its card (cached by the caller). A slot that held its card
   * holds it again at once, and so do the first few of a render (before the pane has been measured).
   */
  place(id: string, build: () => HTMLElement): HTMLElement;
  finish(): void;
  /** Puts the card of slot `id` in now (to focus or scroll to it); false when there is no such slot. */
  fill(id: string): boolean;
}

export interface CardSlotsOptions {
  /** The element that scrolls the list; null for the window. Read at the first render. */
  scroller: () => Element | null;
  /** How far beyond the visible part cards are built ahead of scrolling, in px. */
  margin: number;
  /** Cards built at once on a render, in order, before the observer reports what is visible. */
  eager: number;
  /** A card's height before any has been measured, in px. */
  estimate: number;
}

interface Slot {
  element: HTMLElement;
  build: () => HTMLElement;
  filled: boolean;
  height: number | null;
}

export function createCardSlots(options: CardSlotsOptions): CardSlots {
  let slots = new Map<string, Slot>();
  let next = new Map<string, Slot>();
  let placed = 0;
  let measured = 0;
  let measuredTotal = 0;
  let observer: IntersectionObserver | null = null;
  const estimate = () => (measured > 0 ? measuredTotal / measured : options.estimate);

  const fillSlot = (slot: Slot) => {
    const card = slot.build();
    slot.element.style.height = '';
    if (slot.element.firstChild !== card || slot.element.childNodes.length !== 1) slot.element.replaceChildren(card);
    slot.filled = true;
  };
  const emptySlot = (slot: Slot) => {
    slot.element.style.height = `${slot.height ?? estimate()}px`;
    slot.element.replaceChildren();
    slot.filled = false;
  };

  const onIntersect = (entries: IntersectionObserverEntry[]) => {
    const leaving: Slot[] = [];
    const coming: Slot[] = [];
    for (const entry of entries) {
      const slot = slots.get((entry.target as HTMLElement).dataset.slot ?? '');
      if (!slot || slot.element !== entry.target) continue;
      if (entry.isIntersecting) {
        if (!slot.filled) coming.push(slot);
        // A hidden tab has no box: its cards stay until it shows. Nor does a card with the focus go.
      } else if (slot.filled && entry.boundingClientRect.height > 0 && !slot.element.contains(document.activeElement)) {
        leaving.push(slot);
      }
    }
    // All measuring first, then all changes: one layout, not one per card.
    for (const slot of leaving) {
      slot.height = slot.element.offsetHeight;
      measured++;
      measuredTotal += slot.height;
    }
    for (const slot of leaving) emptySlot(slot);
    for (const slot of coming) fillSlot(slot);
  };
  const observe = (element: HTMLElement) => {
    if (!observer && typeof IntersectionObserver !== 'undefined') {
      observer = new IntersectionObserver(onIntersect, { root: options.scroller(), rootMargin: `${options.margin}px 0px` });
    }
    observer?.observe(element);
  };

  return {
    begin() {
      next = new Map();
      placed = 0;
    },
    place(id, build) {
      let slot = slots.get(id);
      if (!slot) {
        slot = { element: h('div', { class: 'rn-slot', 'data-slot': id }), build, filled: false, height: null };
        slot.element.style.height = `${estimate()}px`;
        observe(slot.element);
      }
      slot.build = build;
      next.set(id, slot);
      if (slot.filled || placed < options.eager) fillSlot(slot);
      placed++;
      return slot.element;
    },
    finish() {
      for (const [id, slot] of slots) if (!next.has(id)) observer?.unobserve(slot.element);
      slots = next;
    },
    fill(id) {
      const slot = slots.get(id);
      if (!slot) return false;
      if (!slot.filled) fillSlot(slot);
      return true;
    },
  };
}

/** The nearest ancestor of `element` that scrolls its content vertically; null for the window. */
export function scrollingAncestor(element: Element): Element | null {
  // Across a shadow root's edge too (the in-place sidebar lives in one).
  const up = (at: Element): Element | null => at.parentElement ?? ((at.parentNode as ShadowRoot | null)?.host || null);
  for (let at: Element | null = element; at; at = up(at)) {
    const overflow = getComputedStyle(at).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return at;
  }
  return null;
}
