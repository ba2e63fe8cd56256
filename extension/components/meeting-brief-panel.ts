/**
 * "Til mødet" in the Overblik: a button that opens a small form (one page per item), and prints
 * or saves what the member needs at the table (shared/export/meeting-brief.ts). The work is the
 * caller's (`run`); this only asks and reports, like the export panel beside it.
 */
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';
import { icon } from './icons.ts';

export interface BriefChoice {
  pagePerItem: boolean;
  /** Print now, or save the printable page as a file. */
  action: 'print' | 'save';
}

export interface MeetingBriefPanel {
  readonly element: HTMLElement;
  destroy(): void;
}

/** `run` returns what to tell the user when it is done; it throws when it fails. */
export function createMeetingBriefPanel(t: Messages, run: (choice: BriefChoice) => Promise<string>): MeetingBriefPanel {
  const toggle = h(
    'button',
    { type: 'button', class: 'rn-brief-toggle rn-with-icon', 'aria-expanded': 'false', 'aria-controls': 'rn-brief-form' },
    icon('print'),
    h('span', {}, t.meetingBrief),
  );
  const pagePerItem = h('input', { type: 'checkbox', id: 'rn-brief-page-per-item' });
  const print = h('button', { type: 'submit', value: 'print' }, t.meetingBriefPrint);
  const save = h('button', { type: 'submit', value: 'save' }, t.meetingBriefSave);
  // <output>: a status for assistive technology that leaves role="status" to the status line.
  const status = h('output', { class: 'rn-brief-status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { id: 'rn-brief-form', class: 'rn-brief-form', 'aria-label': t.meetingBrief, hidden: true },
    h('p', { class: 'rn-hint' }, t.meetingBriefHint),
    h('label', { class: 'rn-export-check' }, pagePerItem, ' ', t.meetingBriefPagePerItem),
    h('div', { class: 'rn-editor-buttons' }, print, save),
    status,
  );
  const element = h('div', { class: 'rn-brief' }, toggle, form);

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) print.focus();
  });

  let running = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    running = true;
    const action = (event.submitter as HTMLButtonElement | null)?.value === 'save' ? 'save' : 'print';
    run({ pagePerItem: pagePerItem.checked, action })
      .then((message) => {
        status.textContent = message;
      })
      .catch((error: unknown) => {
        console.error('Randnoter: Til mødet failed', error);
        status.textContent = t.exportFailed;
      })
      .finally(() => {
        running = false;
      });
  });

  return { element, destroy: () => element.remove() };
}
