/**
 * "Eksporter" in the Overblik: a button that opens a small form (format, items without notes),
 * runs the export and shows its progress. The work itself is the caller's (`run`); this only
 * asks and reports, so it serves the PDF viewer and the HTML sidebar alike.
 */
import type { ExportFormat } from '@randnoter/shared/export/export-packet';
import type { ExportStage } from '@randnoter/shared/export/export-progress';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';
import { icon } from './icons.ts';

export interface ExportChoice {
  format: ExportFormat;
  includeEmptyItems: boolean;
}

export type ReportProgress = (stage: ExportStage, done: number, total: number) => void;

export interface ExportPanel {
  readonly element: HTMLElement;
  destroy(): void;
}

/** `run` returns what to tell the user when it is done; it throws when it fails. */
export function createExportPanel(
  t: Messages,
  formats: readonly ExportFormat[],
  run: (choice: ExportChoice, progress: ReportProgress) => Promise<string>,
): ExportPanel {
  const toggle = h(
    'button',
    { type: 'button', class: 'rn-export-toggle rn-with-icon', 'aria-expanded': 'false', 'aria-controls': 'rn-export-form' },
    icon('download'),
    h('span', {}, t.export),
  );
  const select = h('select', { id: 'rn-export-format' }, ...formats.map((f) => h('option', { value: f }, t.exportFormats[f])));
  const emptyItems = h('input', { type: 'checkbox', id: 'rn-export-empty' });
  const start = h('button', { type: 'submit' }, t.exportStart);
  const bar = h('progress', { max: 1, value: 0, 'aria-label': t.exportProgressLabel, hidden: true });
  // <output> is a status for assistive technology without an explicit role="status", which stays the status line's alone.
  const status = h('output', { class: 'rn-export-status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { id: 'rn-export-form', class: 'rn-export-form', 'aria-label': t.export, hidden: true },
    h('label', { for: 'rn-export-format' }, t.exportFormat),
    select,
    h('label', { class: 'rn-export-check' }, emptyItems, ' ', t.exportEmptyItems),
    start,
    bar,
    status,
  );
  const element = h('div', { class: 'rn-export' }, toggle, form);

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) select.focus();
  });

  let running = false;
  const report: ReportProgress = (stage, done, total) => {
    bar.max = Math.max(total, 1);
    bar.value = Math.min(done, bar.max);
    status.textContent = t.exportStage[stage](done, total);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    running = true;
    start.disabled = true;
    bar.hidden = false;
    bar.removeAttribute('value'); // indeterminate until the first report
    status.textContent = t.exportRunning;
    run({ format: select.value as ExportFormat, includeEmptyItems: emptyItems.checked }, report)
      .then((message) => {
        status.textContent = message;
      })
      .catch((error: unknown) => {
        // The reason is for developers (English, technical); the user is told what to do.
        console.error('Randnoter: the export failed', error);
        status.textContent = t.exportFailed;
      })
      .finally(() => {
        running = false;
        start.disabled = false;
        bar.hidden = true;
      });
  });

  return {
    element,
    destroy: () => element.remove(),
  };
}
