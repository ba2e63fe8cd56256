/** The small toolbar that appears at a text selection: "Tilføj note" and "Del kommentar". */
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export interface SelectionActions {
  show(anchor: DOMRect): void;
  hide(): void;
  readonly element: HTMLElement;
}

export function createSelectionActions(
  t: Messages,
  handlers: { addNote(): void; shareComment(): void },
  canShare: () => boolean,
): SelectionActions {
  const share = h('button', { type: 'button', onclick: () => handlers.shareComment() }, t.shareComment);
  const element = h(
    'div',
    { class: 'rn-selection-actions', role: 'toolbar', 'aria-label': t.appName, hidden: true },
    h('button', { type: 'button', onclick: () => handlers.addNote() }, t.addNote),
    share,
  );
  // Keep the selection alive while the user clicks a button.
  element.addEventListener('mousedown', (event) => event.preventDefault());
  return {
    element,
    show(anchor) {
      share.hidden = !canShare();
      element.hidden = false;
      element.style.left = `${Math.max(8, anchor.left + window.scrollX)}px`;
      element.style.top = `${anchor.bottom + window.scrollY + 6}px`;
    },
    hide() {
      element.hidden = true;
    },
  };
}
