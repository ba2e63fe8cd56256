/**
 * The Overblik as Markdown. Note bodies are light Markdown already, so their emphasis and lists
 * pass through; but nothing a user wrote may become HTML, a link or an image when the file is
 * rendered, so `<`, `[`, `]` and `!` are escaped in bodies and every Markdown character is
 * escaped in quotes, titles and names.
 */
import { noteMeta } from './note-meta.ts';
import type { OverviewModel, OverviewNote, OverviewSection } from './overview-model.ts';

/** Text that must show as typed: every character Markdown or HTML would read is escaped. */
export function markdownText(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()<>#+|~!&]/g, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^([-=])/, '\\$1');
}

/** A note body: its light Markdown kept, anything that would make markup, links or images escaped. */
export function markdownBody(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\\<[\]!&]/g, '\\$&').replace(/^(\s*)(#)/, '$1\\$2'))
    .join('  \n')
    .trim();
}

function renderNote(note: OverviewNote, model: OverviewModel, lines: string[]): void {
  if (note.quote) lines.push(`> ${markdownText(note.quote)}`, '');
  lines.push(note.annotation.body.trim() ? markdownBody(note.annotation.body) : '', '');
  lines.push(`*${noteMeta(note, model.labels).map(markdownText).join(' · ')}*`, '');
  for (const reply of note.replies) {
    const meta = noteMeta(reply, model.labels).map(markdownText).join(' · ');
    const body = markdownBody(reply.annotation.body).split('\n').join('\n  ');
    lines.push(`- **${markdownText(model.labels.reply)}** (${meta}): ${body}`);
  }
  if (note.replies.length > 0) lines.push('');
  lines.push('---', '');
}

function renderSection(section: OverviewSection, model: OverviewModel, lines: string[]): void {
  lines.push(`## ${markdownText(section.heading)}`, '');
  if (section.items.length === 0 && section.orphaned.length === 0) lines.push(markdownText(section.emptyText), '');
  for (const item of section.items) {
    lines.push(`### ${markdownText(item.heading)}`, '');
    for (const note of item.notes) renderNote(note, model, lines);
    for (const attachment of item.attachments) {
      lines.push(`#### ${markdownText(attachment.heading)}`, '');
      for (const note of attachment.notes) renderNote(note, model, lines);
    }
  }
  if (section.orphaned.length > 0) {
    lines.push(`### ${markdownText(model.labels.orphaned)}`, '', markdownText(model.labels.orphanedHint), '');
    for (const note of section.orphaned) renderNote(note, model, lines);
  }
}

export function renderMarkdown(model: OverviewModel): string {
  const lines = [
    `# ${markdownText(model.labels.documentTitle(model.title))}`,
    '',
    `*${markdownText(model.labels.generated(model.generated))}*`,
    '',
  ];
  for (const section of model.sections) renderSection(section, model, lines);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
