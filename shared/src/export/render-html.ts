/**
 * The Overblik as one printable HTML file: no scripts, no external resources, a print
 * stylesheet (A4, notes not split across pages, headings kept with what follows). Every piece of
 * user text goes through `escapeHtml`, and the document's Content-Security-Policy forbids scripts,
 * so even a renderer bug could not run anything a note contains.
 */
import type { ExportLabels } from './export-labels.ts';
import { noteMeta } from './note-meta.ts';
import type { OverviewModel, OverviewNote, OverviewSection } from './overview-model.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);
}

/** The printable look every HTML export shares. */
export const PRINT_STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1rem 0 .4rem 1rem; color: #333; }
.generated { color: #555; margin: 0 0 1rem; }
.note { border-left: 3px solid #e0b000; padding: .2rem 0 .2rem .8rem; margin: .6rem 0 .9rem; }
.shared .note { border-left-color: #2a7ab8; }
.attachment .note { margin-left: 1rem; }
.note blockquote { margin: 0 0 .3rem; padding: .1rem .6rem; background: #f6f3e6; font-style: italic; }
.body { white-space: pre-wrap; margin: .2rem 0; }
.meta { color: #555; font-size: .9em; margin: .1rem 0; }
.resolved .meta .state { color: #2d7a2d; font-weight: bold; }
.replies { list-style: none; margin: .3rem 0 0; padding: 0 0 0 1rem; border-left: 1px dashed #aaa; }
.replies li { margin: .3rem 0; }
.empty, .hint { color: #666; font-style: italic; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2 { break-before: page; }
  h2:first-of-type { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  .note { break-inside: avoid; }
  .note blockquote { background: none; border-left: 1px solid #999; }
}`;

/** One note as an <article>: its quote, text, small print and replies. */
export function noteHtml(note: OverviewNote, labels: ExportLabels): string {
  const meta = noteMeta(note, labels).map(escapeHtml).join(' · ');
  const replies = note.replies.map(
    (r) =>
      `<li><strong>${escapeHtml(labels.reply)}</strong> <span class="meta">${noteMeta(r, labels).map(escapeHtml).join(' · ')}</span>` +
      `<p class="body">${escapeHtml(r.annotation.body)}</p></li>`,
  );
  const classes = ['note', note.annotation.kind, note.annotation.resolved ? 'resolved' : ''].filter(Boolean).join(' ');
  return [
    `<article class="${classes}" id="note-${escapeHtml(note.annotation.id)}">`,
    note.quote ? `<blockquote>${escapeHtml(note.quote)}</blockquote>` : '',
    note.annotation.body.trim() ? `<p class="body">${escapeHtml(note.annotation.body)}</p>` : '',
    `<p class="meta">${meta}</p>`,
    replies.length > 0 ? `<ul class="replies" aria-label="${escapeHtml(labels.replies)}">${replies.join('')}</ul>` : '',
    '</article>',
  ]
    .filter(Boolean)
    .join('\n');
}

function sectionHtml(section: OverviewSection, model: OverviewModel): string {
  const out = [`<section class="${section.kind}">`, `<h2>${escapeHtml(section.heading)}</h2>`];
  if (section.items.length === 0 && section.orphaned.length === 0) out.push(`<p class="empty">${escapeHtml(section.emptyText)}</p>`);
  for (const item of section.items) {
    out.push('<section class="item">', `<h3>${escapeHtml(item.heading)}</h3>`);
    for (const note of item.notes) out.push(noteHtml(note, model.labels));
    for (const attachment of item.attachments) {
      out.push('<section class="attachment">', `<h4>${escapeHtml(attachment.heading)}</h4>`);
      for (const note of attachment.notes) out.push(noteHtml(note, model.labels));
      out.push('</section>');
    }
    out.push('</section>');
  }
  if (section.orphaned.length > 0) {
    out.push('<section class="orphaned">', `<h3>${escapeHtml(model.labels.orphaned)}</h3>`);
    out.push(`<p class="hint">${escapeHtml(model.labels.orphanedHint)}</p>`);
    for (const note of section.orphaned) out.push(noteHtml(note, model.labels));
    out.push('</section>');
  }
  out.push('</section>');
  return out.join('\n');
}

export function renderHtml(model: OverviewModel): string {
  const title = escapeHtml(model.labels.documentTitle(model.title));
  return [
    '<!doctype html>',
    `<html lang="${model.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${PRINT_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p class="generated">${escapeHtml(model.labels.generated(model.generated))}</p>`,
    ...model.sections.map((s) => sectionHtml(s, model)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
