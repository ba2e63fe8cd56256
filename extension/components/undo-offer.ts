/**
 * "Kommentaren er slettet. [Fortryd]": a change colleagues would see at once waits a few seconds,
 * during which the user can take it back. Only when the time is up (or another offer replaces
 * this one) is it done. Keyboard focus moves to "Fortryd", so the user is not left on <body>.
 */
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export interface UndoOffers {
  /** Shows the offer; `act` runs when the time is up, `undo` when the user takes it back. */
  offer(text: string, act: () => void, undo: () => void): void;
  /** Does what is still on offer now (the page is going away, the annotator restarts). */
  settle(): void;
}

/** Timers are passed in so tests drive them (vi.useFakeTimers works too). */
export function createUndoOffers(
  host: HTMLElement,
  t: Messages,
  waitMs: number,
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): UndoOffers {
  let current: { act: () => void; timer: ReturnType<typeof setTimeout> } | null = null;
  const clear = () => {
    host.replaceChildren();
    host.hidden = true;
  };
  const finish = () => {
    const done = current;
    current = null;
    if (!done) return;
    timers.clearTimeout(done.timer);
    clear();
    done.act();
  };
  clear();
  return {
    offer(text, act, undo) {
      finish(); // one offer at a time: the previous one is done now
      const button = h('button', { type: 'button', class: 'rn-undo-button' }, t.undo);
      const timer = timers.setTimeout(finish, waitMs);
      current = { act, timer };
      button.addEventListener('click', () => {
        if (current?.timer !== timer) return;
        timers.clearTimeout(timer);
        current = null;
        clear();
        undo();
      });
      host.replaceChildren(`${text} `, button);
      host.hidden = false;
      button.focus();
    },
    settle: finish,
  };
}
