/**
 * The one description of an export that every format renders: the "Overblik" of a packet.
 * Sections "Overblik: Noter" then "Overblik: Delte kommentarer"; in each, agenda items in packet
 * order (groupByItem), the notes on the item's own pages, then each attachment with its notes;
 * replies under the note they answer; notes whose text is not in this packet at the end of their
 * section. Renderers only lay this out: none of them decides order, grouping or wording.
 */
import { groupByItem, type ItemGroup, type Placed } from '../agenda/group-by-item.ts';
import { type AgendaOutline, placeOfPage } from '../agenda/outline.ts';
import type { Anchorer, AnchorStatus } from '../anchoring/anchor.ts';
import { type AgendaRef, type Annotation, quoteOf } from '../model/annotation.ts';
import { type ExportLabels, type ExportLanguage, exportLabels } from './export-labels.ts';
import { timeFormatter } from './format-time.ts';

/** How a note was placed: by anchoring it in this packet's text, or (without the text) where it was stored. */
type Placement = AnchorStatus | 'stored';

/** A shared comment knows its group; a private note has none. */
export interface ExportAnnotation extends Annotation {
  group?: { id: string; name: string } | null;
}

export interface OverviewNote {
  annotation: ExportAnnotation;
  quote: string | null;
  /** The page it is on in this packet; null when orphaned. */
  page: number | null;
  /** Its range in the packet's normalised text, when anchored in it. */
  start: number | null;
  end: number | null;
  placement: Placement;
  item: AgendaRef | null;
  attachment: AgendaRef | null;
  author: string | null;
  /** Last written, formatted for people (`2023-01-23 14:05`). */
  time: string;
  groupName: string | null;
  replies: OverviewNote[];
}

interface OverviewAttachment {
  attachment: AgendaRef;
  heading: string;
  notes: OverviewNote[];
}

interface OverviewItem {
  /** null: pages outside every agenda item (the contents page), or a page group. */
  item: AgendaRef | null;
  /** Set when the agenda is only guessed: notes are grouped by this page instead of by item. */
  page: number | null;
  heading: string;
  notes: OverviewNote[];
  attachments: OverviewAttachment[];
}

const SectionKind = { notes: 'notes', shared: 'shared', closed: 'closed' } as const;
type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

export interface OverviewSection {
  kind: SectionKind;
  heading: string;
  /** What to say when the section has no notes at all. */
  emptyText: string;
  items: OverviewItem[];
  /** Notes whose text is not in this packet: shown last, under their own heading. */
  orphaned: OverviewNote[];
}

export interface OverviewModel {
  title: string;
  language: ExportLanguage;
  labels: ExportLabels;
  /** When the export was made, formatted like note times. */
  generated: string;
  sections: OverviewSection[];
}

export interface OverviewInput {
  /** The packet's title (its PDF title or file name). */
  title: string;
  outline: AgendaOutline | undefined;
  /** Private notes: the "Noter" section. */
  notes: readonly ExportAnnotation[];
  /** Shared comments and their replies: the "Delte kommentarer" section. */
  shared: readonly ExportAnnotation[];
  /**
   * Comments on closed agenda items that the reader may see, with their replies: a section of
   * their own ("Overblik: Lukkede punkter"), left out when there are none, so an export for
   * someone without access shows no trace of closed items.
   */
  closed?: readonly ExportAnnotation[];
  /** Anchors targets in this packet's text; without it, notes stay where they were stored. */
  anchor?: Anchorer;
  language?: ExportLanguage;
  /** Show agenda items and attachments that have no notes (default: leave them out). */
  includeEmptyItems?: boolean;
  /** IANA time zone for times; the host's when absent. */
  timeZone?: string;
  now: Date;
}

export function buildOverview(input: OverviewInput): OverviewModel {
  const language = input.language ?? 'da';
  const labels = exportLabels(language);
  const time = timeFormatter(input.timeZone);
  const context: Context = { input, labels, time, outline: input.outline?.items.length ? input.outline : undefined };
  return {
    title: input.title,
    language,
    labels,
    generated: time(input.now.toISOString()),
    sections: [
      buildSection(context, SectionKind.notes, labels.notesSection, input.notes),
      buildSection(context, SectionKind.shared, labels.sharedSection, input.shared),
      ...((input.closed ?? []).some((a) => !a.deleted)
        ? [buildSection(context, SectionKind.closed, labels.closedSection, input.closed ?? [])]
        : []),
    ],
  };
}

interface Context {
  input: OverviewInput;
  labels: ExportLabels;
  /** Formats a time as the export shows it. */
  time: (iso: string) => string;
  /**
   * The outline when it names items; a packet without a detected agenda keeps the places notes
   * were stored with. A guessed outline groups by page and places nothing (groupByItem, placeOfPage).
   */
  outline: AgendaOutline | undefined;
}

function buildSection(context: Context, kind: SectionKind, heading: string, annotations: readonly ExportAnnotation[]): OverviewSection {
  const { input, labels, outline } = context;
  const live = annotations.filter((a) => !a.deleted);
  const ids = new Set(live.map((a) => a.id));
  // A reply whose comment is gone is shown on its own, where its target is.
  const isReply = (a: Annotation) => a.replyTo !== null && ids.has(a.replyTo);
  const replies = new Map<string, ExportAnnotation[]>();
  for (const a of live.filter(isReply)) replies.set(a.replyTo as string, [...(replies.get(a.replyTo as string) ?? []), a]);

  const placed: Placed<OverviewNote>[] = [];
  const orphaned: OverviewNote[] = [];
  for (const annotation of live.filter((a) => !isReply(a))) {
    const note = placeNote(context, annotation);
    note.replies = (replies.get(annotation.id) ?? [])
      .sort((a, b) => a.created.localeCompare(b.created))
      .map((reply) => ({ ...placeNote(context, reply, note), replies: [] }));
    if (note.page === null) orphaned.push(note);
    else
      placed.push({
        value: note,
        page: note.page,
        offset: note.start,
        fallbackItem: annotation.target.agendaItem ?? null,
        fallbackAttachment: annotation.target.attachment ?? null,
      });
  }
  const groups = groupByItem(placed, outline, { includeEmpty: input.includeEmptyItems === true });
  orphaned.sort((a, b) => a.annotation.target.page - b.annotation.target.page || a.annotation.created.localeCompare(b.annotation.created));
  const emptyText = kind === SectionKind.notes ? labels.noNotes : labels.noComments;
  return {
    kind,
    heading,
    emptyText,
    items: groups.filter((g) => keepGroup(g, input.includeEmptyItems)).map((g) => itemOf(g, labels)),
    orphaned,
  };
}

/** Without the option, an item is shown only when it or one of its attachments has notes; attachments likewise. */
function keepGroup(group: ItemGroup<OverviewNote>, includeEmpty: boolean | undefined): boolean {
  return includeEmpty === true || group.entries.length > 0 || group.attachments.some((a) => a.entries.length > 0);
}

function itemOf(group: ItemGroup<OverviewNote>, labels: ExportLabels): OverviewItem {
  return {
    item: group.item,
    page: group.page,
    heading: group.page !== null ? labels.pageGroup(group.page) : group.item ? labels.item(group.item) : labels.outsideAgenda,
    notes: group.entries.map((e) => e.value),
    attachments: group.attachments.map((a) => ({
      attachment: a.attachment,
      heading: labels.attachment(a.attachment),
      notes: a.entries.map((e) => e.value),
    })),
  };
}

/** Where a note is now; a reply is wherever the comment it answers is. */
function placeNote(context: Context, annotation: ExportAnnotation, parent?: OverviewNote): OverviewNote {
  const { input, outline } = context;
  const base = {
    annotation,
    quote: quoteOf(annotation.target)?.exact ?? null,
    author: annotation.author?.name ?? null,
    time: context.time(annotation.modified || annotation.created),
    groupName: annotation.group?.name ?? null,
    replies: [],
  };
  if (parent) {
    const { page, start, end, placement, item, attachment } = parent;
    return { ...base, quote: null, page, start, end, placement, item, attachment };
  }
  if (!input.anchor) {
    const page = annotation.target.page;
    const place = storedPlace(outline, annotation, page);
    return { ...base, page, start: null, end: null, placement: 'stored', item: place.agendaItem, attachment: place.attachment };
  }
  const anchor = input.anchor(annotation.target);
  if (anchor.status === 'orphaned') {
    return { ...base, page: null, start: null, end: null, placement: 'orphaned', item: null, attachment: null };
  }
  const place = storedPlace(outline, annotation, anchor.page);
  return {
    ...base,
    page: anchor.page,
    start: anchor.start,
    end: anchor.end,
    placement: anchor.status,
    item: place.agendaItem,
    attachment: place.attachment,
  };
}

/** The agenda place of a page; without an outline, the place the note was stored with (as groupByItem does). */
function storedPlace(outline: AgendaOutline | undefined, annotation: Annotation, page: number) {
  return outline
    ? placeOfPage(outline, page)
    : { agendaItem: annotation.target.agendaItem ?? null, attachment: annotation.target.attachment ?? null };
}

/** Every note of the model in reading order, each followed by its replies. */
export function* notesInOrder(
  model: OverviewModel,
): Generator<{ section: OverviewSection; note: OverviewNote; parent: OverviewNote | null }> {
  for (const section of model.sections) {
    const all = [...section.items.flatMap((item) => [...item.notes, ...item.attachments.flatMap((a) => a.notes)]), ...section.orphaned];
    for (const note of all) {
      yield { section, note, parent: null };
      for (const reply of note.replies) yield { section, note: reply, parent: note };
    }
  }
}
