/**
 * The editor for a new or edited note: the quoted text, a labelled text area, "Gem" and
 * "Annuller" (which returns keyboard focus to where it was).
 */
import { AnnotationLimits } from '@randnoter/shared/model/annotation';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export interface EditorRequest {
  quote: string | null;
  initial: string;
  /** Extra controls, e.g. the group choice for a shared comment. */
  extra?: HTMLElement;
}

/** Resolves with the text, or null when cancelled. */
export function openEditor(host: HTMLElement, t: Messages, request: EditorRequest): Promise<string | null> {
  return new Promise((resolve) => {
    // Where the user was (a card's button, the selection popup, a shortcut's page): "Annuller"
    // takes them back there; after "Gem" the caller moves focus to the saved card.
    const trigger = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const textarea = h('textarea', { id: 'rn-editor-text', rows: 5, maxlength: AnnotationLimits.bodyMaxChars });
    textarea.value = request.initial;
    const close = (value: string | null) => {
      form.remove();
      if (value === null && trigger?.isConnected) trigger.focus();
      resolve(value);
    };
    const form = h(
      'form',
      { class: 'rn-editor' },
      request.quote ? h('blockquote', { class: 'rn-quote' }, request.quote) : null,
      h('label', { for: 'rn-editor-text' }, t.noteText),
      textarea,
      request.extra ?? null,
      h(
        'div',
        { class: 'rn-editor-buttons' },
        h('button', { type: 'submit' }, t.save),
        h('button', { type: 'button', onclick: () => close(null) }, t.cancel),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      close(textarea.value);
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close(null);
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) close(textarea.value);
    });
    host.prepend(form);
    textarea.focus();
  });
}
