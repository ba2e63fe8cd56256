/**
 * "Til mødet": what a member needs at the table, per agenda item in agenda order: their own notes
 * marked as questions, the shared comments not yet resolved (with their replies), and the replies
 * colleagues gave to the member's comments. Built from the Overblik's model (overview-model.ts),
 * so notes are placed, grouped and worded exactly as every export places them.
 */
import type { AgendaOutline } from '../agenda/outline.ts';
import type { Anchorer } from '../anchoring/anchor.ts';
import type { Annotation } from '../model/annotation.ts';
import type { ExportLabels, ExportLanguage } from './export-labels.ts';
import { buildOverview, type ExportAnnotation, type OverviewNote, type OverviewSection } from './overview-model.ts';

/** The tag that marks a private note as a question to raise at the meeting. */
export const QUESTION_TAG = 'spørgsmål';

export function isQuestion(annotation: Pick<Annotation, 'tags'>): boolean {
  return annotation.tags.includes(QUESTION_TAG);
}

interface BriefItem {
  heading: string;
  questions: OverviewNote[];
  comments: OverviewNote[];
  /** Colleagues' replies, each under the member's comment it answers. */
  repliesToMe: Array<{ comment: OverviewNote; replies: OverviewNote[] }>;
}

export interface MeetingBrief {
  title: string;
  language: ExportLanguage;
  labels: ExportLabels;
  generated: string;
  items: BriefItem[];
}

export interface BriefInput {
  title: string;
  outline: AgendaOutline | undefined;
  notes: readonly ExportAnnotation[];
  shared: readonly ExportAnnotation[];
  closed?: readonly ExportAnnotation[];
  /** The member the brief is for: whose comments' replies are "Svar til mig". */
  readerId: string | null;
  /** Places notes in this packet's text, as the viewer and the exports do; without it, where they were stored. */
  anchor?: Anchorer;
  language?: ExportLanguage;
  timeZone?: string;
  now: Date;
}

/** Where an item of a section goes: agenda items by their place in the outline, page groups by page. */
function orderOf(outline: AgendaOutline | undefined, item: OverviewSection['items'][number]): number {
  if (item.item) {
    const index = outline?.items.findIndex((i) => i.number === item.item?.number) ?? -1;
    return index >= 0 ? 1 + index : 1 + item.item.number;
  }
  // The contents page comes before the items; page groups (a guessed agenda) by their page.
  return item.page !== null ? item.page : 0;
}

export function meetingBrief(input: BriefInput): MeetingBrief {
  const open = (a: ExportAnnotation) => !a.deleted && !(a.kind === 'comment' && a.resolved);
  const openThreads = (list: readonly ExportAnnotation[]) => {
    const openComments = new Set(list.filter((a) => a.kind === 'comment' && open(a)).map((a) => a.id));
    return list.filter((a) => open(a) && (a.kind === 'comment' || (a.replyTo !== null && openComments.has(a.replyTo))));
  };
  const model = buildOverview({
    title: input.title,
    outline: input.outline,
    notes: input.notes.filter((a) => !a.deleted && a.kind === 'note' && isQuestion(a)),
    shared: [...openThreads(input.shared), ...openThreads(input.closed ?? [])],
    ...(input.anchor ? { anchor: input.anchor } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    now: input.now,
  });
  const byKey = new Map<string, BriefItem & { order: number }>();
  const itemFor = (heading: string, order: number) => {
    const found = byKey.get(heading);
    if (found) return found;
    const made = { heading, order, questions: [], comments: [], repliesToMe: [] };
    byKey.set(heading, made);
    return made;
  };
  for (const section of model.sections) {
    const places = [
      ...section.items.map((item) => ({
        heading: item.heading,
        order: orderOf(input.outline, item),
        notes: [...item.notes, ...item.attachments.flatMap((a) => a.notes)],
      })),
      ...(section.orphaned.length > 0 ? [{ heading: model.labels.orphaned, order: Number.MAX_SAFE_INTEGER, notes: section.orphaned }] : []),
    ];
    for (const place of places) {
      const item = itemFor(place.heading, place.order);
      for (const note of place.notes) {
        if (section.kind === 'notes') {
          item.questions.push(note);
          continue;
        }
        item.comments.push(note);
        const mine = input.readerId !== null && note.annotation.author?.id === input.readerId;
        const answers = mine ? note.replies.filter((r) => r.annotation.author?.id !== input.readerId) : [];
        if (answers.length > 0) item.repliesToMe.push({ comment: note, replies: answers });
      }
    }
  }
  const items = [...byKey.values()].sort((a, b) => a.order - b.order).map(({ order: _order, ...item }) => item);
  return { title: model.title, language: model.language, labels: model.labels, generated: model.generated, items };
}
