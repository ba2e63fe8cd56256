import { describe, expect, it } from 'vitest';
import { isQuestion, meetingBrief, QUESTION_TAG } from './meeting-brief.ts';
import type { ExportAnnotation } from './overview-model.ts';
import { renderMeetingBrief } from './render-meeting-brief.ts';
import { HOSTILE, sampleNotes, sampleOutline, sampleShared } from './testing/sample-packet.ts';

const NOW = new Date('2023-01-22T07:00:00Z');
const [bilagNote, punktNote, sideNote] = sampleNotes as [ExportAnnotation, ExportAnnotation, ExportAnnotation];
const [resolvedComment] = sampleShared as [ExportAnnotation];
const comment = (id: string, page: number, author: string, extra: Partial<ExportAnnotation> = {}): ExportAnnotation => ({
  ...resolvedComment,
  id,
  resolved: false,
  author: { id: author, name: author === 'anne' ? 'Anne Jensen' : 'Bo Hansen' },
  body: `kommentar ${id}`,
  target: { page },
  ...extra,
});
const reply = (id: string, to: string, author: string): ExportAnnotation =>
  comment(id, 1, author, { kind: 'reply', replyTo: to, body: `svar ${id}` });

const brief = (notes: ExportAnnotation[], shared: ExportAnnotation[], readerId: string | null = 'anne') =>
  meetingBrief({ title: 'Byrådet', outline: sampleOutline, notes, shared, readerId, timeZone: 'Europe/Copenhagen', now: NOW });

/** Each item's heading with the ids in its three parts. */
const shape = (b: ReturnType<typeof brief>) =>
  b.items.map((i) => ({
    heading: i.heading,
    questions: i.questions.map((n) => n.annotation.id),
    comments: i.comments.map((n) => n.annotation.id),
    repliesToMe: i.repliesToMe.map((r) => [r.comment.annotation.id, ...r.replies.map((n) => n.annotation.id)]),
  }));

describe('"Til mødet"', () => {
  it('lists per agenda item, in agenda order: questions, open comments, and colleagues replies to my comments', () => {
    const question = (n: ExportAnnotation) => ({ ...n, tags: [QUESTION_TAG] });
    const result = brief(
      [question(sideNote), question(bilagNote), punktNote],
      [
        resolvedComment,
        comment('c-5', 5, 'bo'),
        comment('c-2', 2, 'anne'),
        reply('r-bo', 'c-2', 'bo'),
        reply('r-self', 'c-2', 'anne'),
        comment('c-gone', 2, 'bo', { deleted: true }),
        reply('r-old', resolvedComment.id, 'bo'),
      ],
    );
    expect(shape(result)).toEqual([
      // The attachment's question is under its item; the unmarked note on page 2 is left out.
      { heading: 'Punkt 1: Budget 2027', questions: ['n-bilag'], comments: ['c-2'], repliesToMe: [['c-2', 'r-bo']] },
      { heading: 'Punkt 2: Eventuelt', questions: ['n-side'], comments: [], repliesToMe: [] },
      { heading: 'Punkt 3: Skolestruktur', questions: [], comments: ['c-5'], repliesToMe: [] },
    ]);
    expect(isQuestion(punktNote)).toBe(false);
  });

  it('says there is nothing to take along, and has no replies to me without a reader', () => {
    expect(brief([punktNote], [resolvedComment]).items).toEqual([]);
    expect(renderMeetingBrief(brief([], []))).toContain('Intet at tage med');
    const noReader = brief([], [comment('c-2', 2, 'anne'), reply('r-bo', 'c-2', 'bo')], null);
    expect(shape(noReader)[0]?.repliesToMe).toEqual([]);
  });

  it('prints one page per item when asked, and keeps every user text as text', () => {
    const hostile = HOSTILE.map((payload, i) =>
      comment(`h${i}`, 2 + (i % 4), 'bo', { body: payload, author: { id: 'bo', name: payload } }),
    );
    const html = renderMeetingBrief(brief([], hostile), { pagePerItem: true });
    expect(html).toContain('<body class="page-per-item">');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(renderMeetingBrief(brief([], hostile))).toContain('<body>');
    expect(
      renderMeetingBrief(
        meetingBrief({ title: 'x', outline: sampleOutline, notes: [], shared: [], readerId: null, language: 'en', now: NOW }),
      ),
    ).toContain('For the meeting – x');
  });
});
