/**
 * The Overblik as CSV (RFC 4180: CRLF, quotes doubled), one row per note or reply, in the order of
 * the other formats. The separator is the one the reader's spreadsheet expects: a semicolon in
 * Danish (Excel with Danish regional settings, where the comma is the decimal sign, reads a
 * comma-separated file as one column), a comma in English. A UTF-8 byte order mark lets
 * spreadsheets read æøå. Cells that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) get a
 * leading apostrophe, so a note cannot call `=cmd|…` on the reader's machine.
 */
import type { AgendaRef } from '../model/annotation.ts';
import type { ExportLanguage } from './export-labels.ts';
import { notesInOrder, type OverviewModel, type OverviewNote } from './overview-model.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The separator a spreadsheet in the language's region expects. */
export const csvSeparator = (language: ExportLanguage): ';' | ',' => (language === 'da' ? ';' : ',');

/** One cell: neutralised against formula injection, quoted when it holds a quote, a line break or either separator. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const place = (ref: AgendaRef | null, label: (ref: AgendaRef) => string) => (ref ? label(ref) : '');

export function renderCsv(model: OverviewModel): string {
  const { labels } = model;
  const c = labels.columns;
  const rows: string[][] = [
    [c.section, c.item, c.attachment, c.page, c.quote, c.note, c.author, c.time, c.kind, c.status, c.place, c.group, c.id],
  ];
  const statusOf = (note: OverviewNote) => (note.annotation.resolved ? labels.resolved : labels.open);
  for (const { section, note, parent } of notesInOrder(model)) {
    const where = parent ?? note;
    rows.push([
      section.heading,
      place(where.item, labels.item),
      place(where.attachment, labels.attachment),
      where.page === null ? '' : String(where.page),
      (parent ? parent.quote : note.quote) ?? '',
      note.annotation.body,
      note.author ?? '',
      note.time,
      labels.kind[note.annotation.kind],
      statusOf(note),
      labels.status[where.placement],
      note.groupName ?? '',
      note.annotation.id,
    ]);
  }
  const separator = csvSeparator(model.language);
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(separator)).join('\r\n')}\r\n`;
}
