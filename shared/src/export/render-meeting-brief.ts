/**
 * "Til mødet" as one printable HTML page (meeting-brief.ts), in the Overblik export's look: per
 * agenda item the member's questions, the open comments and the replies to them. With
 * `pagePerItem` every item starts a new printed page. Every piece of user text is escaped, and
 * the Content-Security-Policy forbids scripts, as in render-html.ts.
 */
import type { MeetingBrief } from './meeting-brief.ts';
import { escapeHtml, noteHtml, PRINT_STYLE } from './render-html.ts';

const BRIEF_STYLE = `
.item + .item { margin-top: 2rem; }
.item h2 { margin-top: 0; }
.reply-to { color: #555; font-size: .9em; margin: .3rem 0 0; }
@media print {
  h2 { break-before: auto; }
  .page-per-item .item + .item { break-before: page; }
}`;

export function renderMeetingBrief(brief: MeetingBrief, options: { pagePerItem?: boolean } = {}): string {
  const { labels } = brief;
  const title = escapeHtml(labels.brief.title(brief.title));
  const out: string[] = [];
  for (const item of brief.items) {
    out.push('<section class="item">', `<h2>${escapeHtml(item.heading)}</h2>`);
    const part = (heading: string, html: string[]) => {
      if (html.length > 0) out.push(`<h3>${escapeHtml(heading)}</h3>`, ...html);
    };
    part(
      labels.brief.questions,
      item.questions.map((n) => noteHtml(n, labels)),
    );
    part(
      labels.brief.comments,
      item.comments.map((n) => noteHtml(n, labels)),
    );
    part(
      labels.brief.repliesToMe,
      item.repliesToMe.map(
        ({ comment, replies }) =>
          `<section class="shared"><p class="reply-to">${escapeHtml(labels.brief.inReplyTo)}: ${escapeHtml(comment.annotation.body)}</p>` +
          `${replies.map((r) => noteHtml(r, labels)).join('\n')}</section>`,
      ),
    );
    out.push('</section>');
  }
  if (brief.items.length === 0) out.push(`<p class="empty">${escapeHtml(labels.brief.nothing)}</p>`);
  return [
    '<!doctype html>',
    `<html lang="${brief.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${PRINT_STYLE}${BRIEF_STYLE}</style>`,
    '</head>',
    `<body${options.pagePerItem ? ' class="page-per-item"' : ''}>`,
    `<h1>${title}</h1>`,
    `<p class="generated">${escapeHtml(labels.generated(brief.generated))}</p>`,
    ...out,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
