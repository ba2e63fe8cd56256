/**
 * What the viewer shows, computed from the documents: cards for "Noter" and "Delte kommentarer"
 * grouped by agenda item, highlight marks, notes that moved or lost their place in this version,
 * and note counts per agenda item. A pure function of its input, redrawn after every change.
 */

import { groupByItem, type ItemGroup, type Placed } from '@randnoter/shared/agenda/group-by-item';
import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import type { Anchor, Anchorer } from '@randnoter/shared/anchoring/anchor';
import { type Annotation, placeIn } from '@randnoter/shared/model/annotation';
import type { Card } from '../components/card.ts';
import type { Mark } from '../surface/document-surface.ts';

export interface ViewInput {
  /** Finds targets in the text shown (one anchorer per text, so its word index is reused). */
  anchor: Anchorer;
  outline: AgendaOutline | undefined;
  notes: readonly Annotation[];
  shared: ReadonlyArray<Annotation & { groupId: string; pending: boolean }>;
  groupNames: ReadonlyMap<string, string>;
  /** Names of the people shared comments may mention (the audiences fetched), by id. */
  people?: ReadonlyMap<string, string>;
  myId: string | null;
  /** The version the viewer shows, `urn:x-pdf:<fingerprint>`. */
  version: string;
  focusedId: string | null;
}

export interface ViewModel {
  notes: ItemGroup<Card>[];
  shared: ItemGroup<Card>[];
  marks: Mark[];
  /** Notes made on another version that matched only fuzzily or not at all. */
  moved: Card[];
  /** Cards per agenda item number (notes + shared), for "Indhold". */
  counts: Map<number, number>;
  anchors: Map<string, Anchor>;
}

export function buildViewModel(input: ViewInput): ViewModel {
  const anchors = new Map<string, Anchor>();
  const marks: Mark[] = [];
  const moved: Card[] = [];
  const counts = new Map<number, number>();

  /** Each version shows a note where it was re-attached in that version, if it was; the others keep theirs. */
  const shownIn = (annotation: Annotation): Annotation => {
    const target = placeIn(annotation.target, input.version);
    return target === annotation.target ? annotation : { ...annotation, target };
  };

  const mentionsOf = (annotation: Annotation) => {
    const mentions = (annotation.mentions ?? []).flatMap((id) => {
      const name = input.people?.get(id);
      return name ? [{ id, name }] : [];
    });
    return { mentions, mentionsMe: input.myId !== null && mentions.some((m) => m.id === input.myId) };
  };

  const cardOf = (stored: Annotation, groupId: string | null, pending: boolean): Placed<Card> => {
    const annotation = shownIn(stored);
    const anchor = input.anchor(annotation.target);
    anchors.set(annotation.id, anchor);
    const page = anchor.page ?? annotation.target.page;
    const card: Card = {
      annotation,
      status: anchor.status,
      page,
      groupName: groupId ? (input.groupNames.get(groupId) ?? groupId) : null,
      pending,
      mine: input.myId !== null && annotation.author?.id === input.myId,
      ...mentionsOf(annotation),
      replies: [],
    };
    const focused = annotation.id === input.focusedId;
    const region = annotation.target.region;
    // The rectangle goes where its page is in this version, which a republished packet may have moved.
    if (region && anchor.page !== null)
      marks.push({
        id: annotation.id,
        start: 0,
        end: 0,
        kind: annotation.kind,
        color: annotation.color,
        focused,
        region: { ...region, page: anchor.page },
      });
    else if (anchor.start !== null && anchor.end > anchor.start)
      marks.push({ id: annotation.id, start: anchor.start, end: anchor.end, kind: annotation.kind, color: annotation.color, focused });

    const fromOtherVersion = annotation.target.packetVersion !== undefined && annotation.target.packetVersion !== input.version;
    if (anchor.status !== 'anchored' && (fromOtherVersion || anchor.status === 'orphaned')) moved.push(card);
    // A guessed agenda places nothing (outline.ts), so its items show no counts: the cards are grouped by page.
    const item = placeOfPage(input.outline, page).agendaItem?.number;
    if (item !== undefined) counts.set(item, (counts.get(item) ?? 0) + 1);
    return {
      value: card,
      page,
      offset: anchor.start,
      fallbackItem: annotation.target.agendaItem ?? null,
      fallbackAttachment: annotation.target.attachment ?? null,
    };
  };

  const notes = input.notes.filter((a) => !a.deleted).map((a) => cardOf(a, null, false));
  const top: Array<Placed<Card>> = [];
  const replies: Card[] = [];
  for (const stored of input.shared) {
    const a = { ...shownIn(stored), groupId: stored.groupId, pending: stored.pending };
    if (a.kind === 'reply') {
      const anchor = input.anchor(a.target);
      replies.push({
        annotation: a,
        status: anchor.status,
        page: anchor.page ?? a.target.page,
        groupName: input.groupNames.get(a.groupId) ?? a.groupId,
        pending: a.pending,
        mine: a.author?.id === input.myId,
        ...mentionsOf(a),
        replies: [],
      });
    } else top.push(cardOf(a, a.groupId, a.pending));
  }
  const byId = new Map(top.map((p) => [p.value.annotation.id, p.value]));
  for (const reply of replies.sort((a, b) => a.annotation.created.localeCompare(b.annotation.created))) {
    byId.get(reply.annotation.replyTo ?? '')?.replies.push(reply);
  }
  return { notes: groupByItem(notes, input.outline), shared: groupByItem(top, input.outline), marks, moved, counts, anchors };
}
