/**
 * "Til mødet" in the Overblik: a button that opens the view of what the member needs at the table
 * (shared/export/meeting-brief.ts): per agenda item their questions, the open comments and the
 * replies to them, each a link to its card; then prints or saves it (one page per item if asked).
 * Printing and saving are the caller's (`run`), as for the export panel beside it.
 */
import type { MeetingBrief } from '@randnoter/shared/export/meeting-brief';
import type { OverviewNote } from '@randnoter/shared/export/overview-model';
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

export interface BriefSource {
  /** The brief as it is now (built when the view opens and again for each print). */
  brief(): MeetingBrief;
  /** Shows a note's card (and its place in the document). */
  show(id: string): void;
}

/** `run` returns what to tell the user when it is done; it throws when it fails. */
export function createMeetingBriefPanel(
  t: Messages,
  source: BriefSource,
  run: (choice: BriefChoice, brief: MeetingBrief) => Promise<string>,
): MeetingBriefPanel {
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
  const view = h('div', { class: 'rn-brief-view' });
  const form = h(
    'form',
    { id: 'rn-brief-form', class: 'rn-brief-form', 'aria-label': t.meetingBrief, hidden: true },
    h('p', { class: 'rn-hint' }, t.meetingBriefHint),
    view,
    h('label', { class: 'rn-export-check' }, pagePerItem, ' ', t.meetingBriefPagePerItem),
    h('div', { class: 'rn-editor-buttons' }, print, save),
    status,
  );
  const element = h('div', { class: 'rn-brief' }, toggle, form);

  /** One line per note: its text, shortened, as a button to its card. */
  const entry = (note: OverviewNote) => {
    const body = note.annotation.body.trim() || (note.quote ?? '');
    const text = body.length > 90 ? `${body.slice(0, 89)}…` : body;
    const who = note.annotation.kind === 'note' ? '' : ` – ${note.author ?? ''}`;
    return h(
      'li',
      {},
      h('button', { type: 'button', class: 'rn-brief-entry', onclick: () => source.show(note.annotation.id) }, `${text}${who}`),
    );
  };
  const part = (heading: string, notes: OverviewNote[]) =>
    notes.length > 0 ? [h('h5', {}, heading), h('ul', { class: 'rn-brief-list' }, ...notes.map(entry))] : [];
  const showBrief = () => {
    const brief = source.brief();
    view.replaceChildren(
      ...(brief.items.length === 0
        ? [h('p', { class: 'rn-empty' }, brief.labels.brief.nothing)]
        : brief.items.map((item) =>
            h(
              'section',
              { class: 'rn-brief-item' },
              h('h4', {}, item.heading),
              ...part(brief.labels.brief.questions, item.questions),
              ...part(brief.labels.brief.comments, item.comments),
              ...part(
                brief.labels.brief.repliesToMe,
                item.repliesToMe.flatMap((r) => r.replies),
              ),
            ),
          )),
    );
  };

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) {
      showBrief();
      print.focus();
    }
  });

  let running = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    running = true;
    const action = (event.submitter as HTMLButtonElement | null)?.value === 'save' ? 'save' : 'print';
    const brief = source.brief();
    run({ pagePerItem: pagePerItem.checked, action }, brief)
      .then((message) => {
        status.textContent = message;
        showBrief();
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
