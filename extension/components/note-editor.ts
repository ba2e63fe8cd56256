/**
 * The editor for a new or edited note: the quoted text, a labelled text area, "Gem" and
 * "Annuller" (which returns keyboard focus to where it was).
 */
import { AnnotationLimits } from '@randnoter/shared/model/annotation';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';
import { attachMentionPicker, type MentionPickerOptions } from './mention-picker.ts';

export interface EditorRequest {
  quote: string | null;
  initial: string;
  /** Extra controls, e.g. the group choice for a shared comment. */
  extra?: HTMLElement;
  /** Shared comments: `@` offers the comment's audience (mention-picker.ts). */
  mentions?: MentionPickerOptions;
}

export interface EditorResult {
  body: string;
  /** With `mentions` asked for: the ids still mentioned in the text. */
  mentions?: string[];
}

/** Resolves with the text (and whom it mentions), or null when cancelled. */
export function openEditor(host: HTMLElement, t: Messages, request: EditorRequest): Promise<EditorResult | null> {
  return new Promise((resolve) => {
    // Where the user was (a card's button, the selection popup, a shortcut's page): "Annuller"
    // takes them back there; after "Gem" the caller moves focus to the saved card.
    const trigger = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const textarea = h('textarea', { id: 'rn-editor-text', rows: 5, maxlength: AnnotationLimits.bodyMaxChars });
    textarea.value = request.initial;
    if (request.mentions) textarea.setAttribute('aria-describedby', 'rn-editor-hint');
    const picker = request.mentions ? attachMentionPicker(textarea, t, { idPrefix: 'rn-editor-mention', ...request.mentions }) : null;
    const close = (body: string | null) => {
      picker?.destroy();
      form.remove();
      if (body === null && trigger?.isConnected) trigger.focus();
      resolve(body === null ? null : { body, ...(picker ? { mentions: picker.mentions() } : {}) });
    };
    const form = h(
      'form',
      { class: 'rn-editor' },
      request.quote ? h('blockquote', { class: 'rn-quote' }, request.quote) : null,
      h('label', { for: 'rn-editor-text' }, t.noteText),
      textarea,
      picker?.element ?? null,
      request.mentions ? h('p', { class: 'rn-editor-hint', id: 'rn-editor-hint' }, t.mentionHint) : null,
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
      if (event.defaultPrevented) return; // the mention list took the key
      if (event.key === 'Escape') close(null);
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) close(textarea.value);
    });
    host.prepend(form);
    textarea.focus();
  });
}
