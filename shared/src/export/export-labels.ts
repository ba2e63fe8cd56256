/**
 * The words every export uses, in Danish (the default: the meeting system's own export says
 * "Overblik: Noter") and English. One table, so that all formats say the same thing.
 */
import { headingText } from '../agenda/agenda-grammar.ts';
import { defaultAttachmentLabel, defaultItemLabel } from '../agenda/outline.ts';
import type { AgendaRef, AnnotationKind } from '../model/annotation.ts';

/**
 * The packet's own label when the place has one ("Sag 3: Budget"), else the usual Danish one the
 * viewer shows too ("Punkt 3"), in either language: a place is named as the packet names it, only
 * the export's own headings and words are translated.
 */
const itemHeading = (ref: AgendaRef) => headingText(ref.label ?? defaultItemLabel(ref.number), ref.title);
const attachmentHeading = (ref: AgendaRef) => headingText(ref.label ?? defaultAttachmentLabel(ref.number), ref.title);

export const ExportLanguage = { da: 'da', en: 'en' } as const;
export type ExportLanguage = (typeof ExportLanguage)[keyof typeof ExportLanguage];

const da = {
  notesSection: 'Overblik: Noter',
  sharedSection: 'Overblik: Delte kommentarer',
  /** Comments on closed agenda items: their own section, and every page they are on carries `closedMark`. */
  closedSection: 'Overblik: Lukkede punkter',
  closedMark: 'Lukket punkt – fortroligt',
  item: itemHeading,
  attachment: attachmentHeading,
  /** A group heading when the agenda is only guessed and notes are grouped by page. */
  pageGroup: (n: number) => `Side ${n}`,
  outsideAgenda: 'Uden for dagsordenen',
  orphaned: 'Ikke fundet i pakken',
  orphanedHint: 'Teksten, disse noter blev skrevet ved, findes ikke i denne udgave af pakken.',
  noNotes: 'Ingen noter.',
  noComments: 'Ingen delte kommentarer.',
  page: (n: number) => `side ${n}`,
  pageUnknown: 'side ukendt',
  reply: 'Svar',
  replies: 'Svar',
  resolved: 'Løst',
  open: 'Åben',
  fuzzy: 'fundet omtrent',
  kind: { note: 'Note', comment: 'Kommentar', reply: 'Svar' } satisfies Record<AnnotationKind, string>,
  status: { anchored: 'fundet', fuzzy: 'fundet omtrent', orphaned: 'ikke fundet', stored: 'gemt placering' },
  columns: {
    section: 'Afsnit',
    item: 'Punkt',
    attachment: 'Bilag',
    page: 'Side',
    quote: 'Citat',
    note: 'Note',
    author: 'Forfatter',
    time: 'Tid',
    kind: 'Type',
    status: 'Status',
    place: 'Placering',
    group: 'Gruppe',
    id: 'Id',
  },
  generated: (when: string) => `Udskrevet ${when}`,
  quote: 'Citat',
  documentTitle: (title: string) => `Overblik – ${title}`,
  /** "Til mødet": what a member takes to the table (meeting-brief.ts). */
  brief: {
    title: (title: string) => `Til mødet – ${title}`,
    questions: 'Mine spørgsmål',
    comments: 'Åbne kommentarer',
    repliesToMe: 'Svar til mig',
    /** Over a reply: the comment of mine it answers. */
    inReplyTo: 'Til min kommentar',
    nothing: 'Intet at tage med: ingen spørgsmål, åbne kommentarer eller svar til dig.',
  },
};

export type ExportLabels = typeof da;

const en: ExportLabels = {
  notesSection: 'Overview: Notes',
  sharedSection: 'Overview: Shared comments',
  closedSection: 'Overview: Closed items',
  closedMark: 'Closed item – confidential',
  item: itemHeading,
  attachment: attachmentHeading,
  pageGroup: (n) => `Page ${n}`,
  outsideAgenda: 'Outside the agenda',
  orphaned: 'Not found in the packet',
  orphanedHint: 'The text these notes were written on is not in this version of the packet.',
  noNotes: 'No notes.',
  noComments: 'No shared comments.',
  page: (n) => `page ${n}`,
  pageUnknown: 'page unknown',
  reply: 'Reply',
  replies: 'Replies',
  resolved: 'Resolved',
  open: 'Open',
  fuzzy: 'found approximately',
  kind: { note: 'Note', comment: 'Comment', reply: 'Reply' },
  status: { anchored: 'found', fuzzy: 'found approximately', orphaned: 'not found', stored: 'stored place' },
  columns: {
    section: 'Section',
    item: 'Item',
    attachment: 'Attachment',
    page: 'Page',
    quote: 'Quote',
    note: 'Note',
    author: 'Author',
    time: 'Time',
    kind: 'Kind',
    status: 'Status',
    place: 'Place',
    group: 'Group',
    id: 'Id',
  },
  generated: (when) => `Printed ${when}`,
  quote: 'Quote',
  documentTitle: (title) => `Overview – ${title}`,
  brief: {
    title: (title) => `For the meeting – ${title}`,
    questions: 'My questions',
    comments: 'Open comments',
    repliesToMe: 'Replies to me',
    inReplyTo: 'To my comment',
    nothing: 'Nothing to take along: no questions, open comments or replies to you.',
  },
};

export function exportLabels(language: ExportLanguage): ExportLabels {
  return language === 'en' ? en : da;
}

export function parseExportLanguage(v: unknown): ExportLanguage | null {
  return v === 'da' || v === 'en' ? v : null;
}
