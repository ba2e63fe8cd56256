/** The small print under a note, the same in every format: page, group, author, time, and its state. */
import type { ExportLabels } from './export-labels.ts';
import type { OverviewNote } from './overview-model.ts';

export function noteMeta(note: OverviewNote, labels: ExportLabels): string[] {
  const isReply = note.annotation.kind === 'reply';
  const parts: string[] = [];
  // A reply sits under its comment: page and group are the comment's.
  if (!isReply) parts.push(note.page !== null ? labels.page(note.page) : labels.pageUnknown);
  if (!isReply && note.groupName) parts.push(note.groupName);
  if (note.author) parts.push(note.author);
  if (note.time) parts.push(note.time);
  if (!isReply && note.placement === 'fuzzy') parts.push(labels.fuzzy);
  if (note.annotation.resolved) parts.push(labels.resolved);
  return parts;
}
