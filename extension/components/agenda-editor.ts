/**
 * "Ret indhold": the editor of an agenda correction, in the "Indhold" pane beside the document
 * (not a modal dialog: the user moves through the packet to see where an item starts). Keyboard
 * first: every item and attachment is a group of labelled fields (label, number, title, first
 * page) with its buttons, in reading order; "Begynder på denne side" takes the page the viewer
 * shows; adding focuses the new title, removing focuses what follows; Escape cancels.
 * The rows are sorted by first page when saved, and checked with the same rules the server uses
 * (shared/agenda/correction.ts); a problem is said in words and the focus goes to its field.
 */
import { headingText } from '@randnoter/shared/agenda/agenda-grammar';
import {
  type AgendaCorrection,
  type CorrectionProblem,
  nextLabel,
  outlineToCorrection,
  parseCorrection,
} from '@randnoter/shared/agenda/correction';
import { type AgendaOutline, defaultAttachmentLabel, defaultItemLabel } from '@randnoter/shared/agenda/outline';
import type { Messages } from '../i18n/messages.ts';
import { h } from '../utils/dom.ts';

export type AgendaEditorAction =
  | { kind: 'save'; correction: AgendaCorrection }
  | { kind: 'share'; correction: AgendaCorrection; groupId: string }
  | { kind: 'remove-own' }
  | { kind: 'remove-group'; groupId: string };

export interface AgendaEditorOptions {
  /** Where editing starts: the agenda shown now. */
  outline: AgendaOutline;
  version: string;
  pages: number;
  currentPage(): number;
  /** Groups the correction may be shared with (none: no "Del med gruppen"), the preferred first. */
  groups: ReadonlyArray<{ id: string; name: string }>;
  hasOwn: boolean;
  /** The group whose correction is shown, if one is (then it may be removed). */
  shownGroup: string | null;
  /** Runs an action: resolves null when done (the editor closes) or a message to show (it stays open). */
  act(action: AgendaEditorAction): Promise<string | null>;
  /** Called once the editor has closed, after an action or a cancel. */
  closed(): void;
}

type Field = 'label' | 'number' | 'title' | 'firstPage';

interface Row {
  label: string;
  number: string;
  title: string;
  firstPage: string;
  attachments: Row[];
}

interface Place {
  item: number;
  attachment: number | null;
}

const rowOf = (entry: { label: string; number: number; title: string; firstPage: number }, attachments: Row[] = []): Row => ({
  label: entry.label,
  number: String(entry.number),
  title: entry.title,
  firstPage: String(entry.firstPage),
  attachments,
});

const whole = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);
const pageKey = (row: Row) => {
  const page = whole(row.firstPage);
  return Number.isNaN(page) ? Number.POSITIVE_INFINITY : page;
};
const byPage = (a: Row, b: Row) => pageKey(a) - pageKey(b);

export function openAgendaEditor(host: HTMLElement, t: Messages, options: AgendaEditorOptions): { close(): void } {
  const start = outlineToCorrection(options.outline, options.version);
  const rows: Row[] = start.items.map((item) =>
    rowOf(
      item,
      item.attachments.map((a) => rowOf(a)),
    ),
  );
  let uid = 0;
  const nextId = () => `rn-fix-${++uid}`;
  /** The focusable parts of the rows, by place and field ('add': an item's "Tilføj bilag"). */
  const inputs = new Map<string, HTMLElement>();
  const keyOf = (place: Place, field: Field | 'add') => `${place.item}/${place.attachment ?? '-'}/${field}`;

  const heading = (row: Row, isItem: boolean) =>
    row.label.trim() === '' && row.title.trim() === ''
      ? isItem
        ? t.fixNewItem
        : t.fixNewAttachment
      : headingText(row.label.trim(), row.title.trim());

  const error = h('p', { class: 'rn-fix-error', role: 'alert', hidden: true });
  const list = h('ol', { class: 'rn-fix-items' });
  const addItem = h('button', { type: 'button', class: 'rn-fix-add' }, t.fixAddItem);
  const groupSelect =
    options.groups.length > 1 ? h('select', { id: nextId() }, ...options.groups.map((g) => h('option', { value: g.id }, g.name))) : null;
  const saveButton = h('button', { type: 'submit' }, t.save);
  const shareButton = options.groups.length > 0 ? h('button', { type: 'button' }, t.fixShare) : null;
  const removeOwnButton = options.hasOwn ? h('button', { type: 'button' }, t.fixRemoveOwn) : null;
  const shownGroup = options.shownGroup;
  const removeGroupButton = shownGroup !== null ? h('button', { type: 'button' }, t.fixRemoveGroup) : null;
  const cancelButton = h('button', { type: 'button' }, t.cancel);
  const form = h(
    'form',
    { class: 'rn-fix', 'aria-label': t.fixContents, novalidate: true },
    h('h3', {}, t.fixContents),
    h('p', { class: 'rn-fix-hint' }, t.fixHint),
    list,
    addItem,
    error,
    groupSelect ? h('p', { class: 'rn-fix-group' }, h('label', { for: groupSelect.id }, t.fixShareWith), groupSelect) : null,
    h('div', { class: 'rn-editor-buttons' }, saveButton, shareButton, removeOwnButton, removeGroupButton, cancelButton),
  );

  function field(place: Place, name: Field, label: string, row: Row, type: 'text' | 'number', onInput?: () => void): HTMLElement {
    const id = nextId();
    const input = h('input', {
      id,
      type,
      value: row[name],
      ...(type === 'number'
        ? { min: name === 'firstPage' ? 1 : 0, max: name === 'firstPage' ? options.pages : null, inputmode: 'numeric' }
        : {}),
      ...(name === 'label' ? { maxlength: 64 } : name === 'title' ? { maxlength: 1000 } : {}),
    });
    input.addEventListener('input', () => {
      row[name] = input.value;
      onInput?.();
    });
    inputs.set(keyOf(place, name), input);
    return h('p', { class: `rn-fix-field rn-fix-${name}` }, h('label', { for: id }, label), input);
  }

  /** The fields and buttons of one item or attachment. */
  function entry(place: Place, row: Row, siblings: Row[], isItem: boolean): HTMLElement {
    const legend = h('legend', {}, heading(row, isItem));
    const relegend = () => {
      legend.textContent = heading(row, isItem);
    };
    let previousNumber = whole(row.number);
    const number = field(place, 'number', t.fixNumber, row, 'number', () => {
      // "Sag 37" follows its number when it was written from it.
      const next = whole(row.number);
      if (!Number.isNaN(previousNumber) && !Number.isNaN(next)) {
        row.label = nextLabel(row.label, previousNumber, next, row.label);
        const labelInput = inputs.get(keyOf(place, 'label'));
        if (labelInput instanceof HTMLInputElement) labelInput.value = row.label;
      }
      if (!Number.isNaN(next)) previousNumber = next;
      relegend();
    });
    const startsHere = h('button', { type: 'button' }, t.fixStartsHere);
    startsHere.addEventListener('click', () => {
      row.firstPage = String(options.currentPage());
      const input = inputs.get(keyOf(place, 'firstPage'));
      if (input instanceof HTMLInputElement) input.value = row.firstPage;
    });
    const remove = h('button', { type: 'button' }, isItem ? t.fixRemoveItem : t.fixRemoveAttachment);
    remove.addEventListener('click', () => {
      const at = siblings.indexOf(row);
      siblings.splice(at, 1);
      const index = Math.min(at, siblings.length - 1);
      render(
        index < 0
          ? isItem
            ? null
            : { place: { item: place.item, attachment: null }, field: 'add' }
          : { place: isItem ? { item: index, attachment: null } : { item: place.item, attachment: index }, field: 'label' },
      );
    });
    const buttons: HTMLElement[] = [startsHere];
    if (isItem) {
      const addAttachment = h('button', { type: 'button' }, t.fixAddAttachment);
      addAttachment.addEventListener('click', () => {
        const last = row.attachments.at(-1);
        const n = Math.max(0, ...row.attachments.map((a) => whole(a.number)).filter((x) => !Number.isNaN(x))) + 1;
        const page = Math.max(options.currentPage(), whole(row.firstPage) || 1);
        row.attachments.push({
          label: last ? nextLabel(last.label, whole(last.number), n, defaultAttachmentLabel(n)) : defaultAttachmentLabel(n),
          number: String(n),
          title: '',
          firstPage: String(page),
          attachments: [],
        });
        row.attachments.sort(byPage);
        render({
          place: { item: place.item, attachment: row.attachments.findIndex((a) => a.title === '' && a.number === String(n)) },
          field: 'title',
        });
      });
      inputs.set(keyOf(place, 'add'), addAttachment);
      buttons.push(addAttachment);
    }
    buttons.push(remove);
    const fields = h(
      'fieldset',
      { class: isItem ? 'rn-fix-item' : 'rn-fix-attachment' },
      legend,
      field(place, 'label', t.fixLabel, row, 'text', relegend),
      number,
      field(place, 'title', t.fixTitle, row, 'text', relegend),
      field(place, 'firstPage', t.fixFirstPage, row, 'number'),
      h('div', { class: 'rn-fix-buttons' }, ...buttons),
    );
    if (!isItem) return h('li', {}, fields);
    return h(
      'li',
      {},
      fields,
      row.attachments.length > 0
        ? h(
            'ol',
            { class: 'rn-fix-attachments', 'aria-label': t.fixAttachmentsOf(heading(row, true)) },
            ...row.attachments.map((a, j) => entry({ item: place.item, attachment: j }, a, row.attachments, false)),
          )
        : null,
    );
  }

  function render(focus: { place: Place; field: Field | 'add' } | null): void {
    inputs.clear();
    list.replaceChildren(...rows.map((row, i) => entry({ item: i, attachment: null }, row, rows, true)));
    const target = focus ? inputs.get(keyOf(focus.place, focus.field)) : addItem;
    (target ?? addItem).focus();
  }

  addItem.addEventListener('click', () => {
    const last = rows.at(-1);
    const n = Math.max(0, ...rows.map((r) => whole(r.number)).filter((x) => !Number.isNaN(x))) + 1;
    const row: Row = {
      label: last ? nextLabel(last.label, whole(last.number), n, defaultItemLabel(n)) : defaultItemLabel(n),
      number: String(n),
      title: '',
      firstPage: String(options.currentPage()),
      attachments: [],
    };
    rows.push(row);
    rows.sort(byPage);
    render({ place: { item: rows.indexOf(row), attachment: null }, field: 'title' });
  });

  const show = (message: string | null) => {
    error.hidden = message === null;
    error.textContent = message ?? '';
  };

  /** The correction the fields describe, sorted by page; or the problem, said and focused. */
  function collect(): AgendaCorrection | null {
    rows.sort(byPage);
    for (const row of rows) row.attachments.sort(byPage);
    render(null);
    const candidate = {
      version: options.version,
      pages: options.pages,
      items: rows.map((row) => ({
        number: whole(row.number),
        label: row.label.trim(),
        title: row.title.trim(),
        firstPage: whole(row.firstPage),
        attachments: row.attachments.map((a) => ({
          number: whole(a.number),
          label: a.label.trim(),
          title: a.title.trim(),
          firstPage: whole(a.firstPage),
        })),
      })),
    };
    const parsed = parseCorrection(candidate, { pages: options.pages });
    if (parsed.ok) return parsed.value;
    report(parsed.problem);
    return null;
  }

  function report(problem: CorrectionProblem): void {
    const message = t.fixProblem(problem.code, options.pages);
    const item = problem.item === null ? null : rows[problem.item];
    const row = item && problem.attachment !== null ? item.attachments[problem.attachment] : item;
    show(row ? `${heading(row, problem.attachment === null)}: ${message}` : message);
    if (problem.item === null) return;
    const fieldOf: Partial<Record<CorrectionProblem['code'], Field>> = {
      number: 'number',
      duplicate: 'number',
      label: 'label',
      title: 'title',
      page: 'firstPage',
      order: 'firstPage',
      outside: 'firstPage',
    };
    const input = inputs.get(keyOf({ item: problem.item, attachment: problem.attachment }, fieldOf[problem.code] ?? 'label'));
    input?.focus();
  }

  let busy = false;
  async function run(action: AgendaEditorAction | null): Promise<void> {
    if (busy || action === null) return;
    busy = true;
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    try {
      const message = await options.act(action);
      if (message === null) close();
      else show(message);
    } finally {
      busy = false;
      for (const button of form.querySelectorAll('button')) button.disabled = false;
    }
  }
  const groupId = () => groupSelect?.value ?? options.groups[0]?.id ?? '';

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const correction = collect();
    void run(correction && { kind: 'save', correction });
  });
  shareButton?.addEventListener('click', () => {
    const correction = collect();
    void run(correction && { kind: 'share', correction, groupId: groupId() });
  });
  removeOwnButton?.addEventListener('click', () => void run({ kind: 'remove-own' }));
  removeGroupButton?.addEventListener('click', () => shownGroup !== null && void run({ kind: 'remove-group', groupId: shownGroup }));
  cancelButton.addEventListener('click', () => close());
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  let open = true;
  function close(): void {
    if (!open) return;
    open = false;
    form.remove();
    options.closed();
  }

  host.replaceChildren(form);
  render(rows.length > 0 ? { place: { item: 0, attachment: null }, field: 'label' } : null);
  return { close };
}
