/**
 * Groups placed entries (annotations with a page) by agenda item and attachment, in packet
 * order: the order the Overblik sidebar and every export use. When the agenda is only guessed
 * (outline.ts: isGuessed), entries are grouped by page instead: a page is always right, a
 * guessed item may not be.
 */
import type { AgendaRef } from '../model/annotation.ts';
import { type AgendaOutline, isGuessed, placeOfPage, refOf } from './outline.ts';

export interface Placed<T> {
  value: T;
  page: number;
  /** Position in the packet text, to order entries on one page; null for page notes. */
  offset: number | null;
  /** Used when there is no outline, or the page lies outside it. */
  fallbackItem?: AgendaRef | null;
  fallbackAttachment?: AgendaRef | null;
}

interface AttachmentGroup<T> {
  attachment: AgendaRef;
  entries: Placed<T>[];
}

export interface ItemGroup<T> {
  /** null: pages outside any agenda item (e.g. the contents page), or grouped by page. */
  item: AgendaRef | null;
  /** The page of the group when the agenda is guessed and entries are grouped by page; null otherwise. */
  page: number | null;
  /** Entries on the item's own pages (not in an attachment). */
  entries: Placed<T>[];
  attachments: AttachmentGroup<T>[];
}

const byPosition = <T>(a: Placed<T>, b: Placed<T>) => a.page - b.page || (a.offset ?? -1) - (b.offset ?? -1);

function groupByPage<T>(entries: readonly Placed<T>[]): ItemGroup<T>[] {
  const groups = new Map<number, ItemGroup<T>>();
  for (const entry of entries) {
    let group = groups.get(entry.page);
    if (!group) {
      group = { item: null, page: entry.page, entries: [], attachments: [] };
      groups.set(entry.page, group);
    }
    group.entries.push(entry);
  }
  const result = [...groups.values()].sort((a, b) => (a.page as number) - (b.page as number));
  for (const group of result) group.entries.sort(byPosition);
  return result;
}

export function groupByItem<T>(
  entries: readonly Placed<T>[],
  outline?: AgendaOutline,
  options: { includeEmpty?: boolean } = {},
): ItemGroup<T>[] {
  if (isGuessed(outline)) return groupByPage(entries);
  const groups = new Map<string, ItemGroup<T>>();
  const keyOf = (item: AgendaRef | null) => (item ? `${item.number}` : 'none');
  const groupFor = (item: AgendaRef | null) => {
    const key = keyOf(item);
    let group = groups.get(key);
    if (!group) {
      group = { item, page: null, entries: [], attachments: [] };
      groups.set(key, group);
    }
    return group;
  };
  if (options.includeEmpty && outline) {
    for (const item of outline.items) {
      const group = groupFor(refOf(item));
      for (const a of item.attachments) group.attachments.push({ attachment: refOf(a), entries: [] });
    }
  }
  for (const entry of entries) {
    const place = placeOfPage(outline, entry.page);
    const item = place.agendaItem ?? (outline ? null : (entry.fallbackItem ?? null));
    const attachment = place.agendaItem ? place.attachment : outline ? null : (entry.fallbackAttachment ?? null);
    const group = groupFor(item);
    if (!attachment) {
      group.entries.push(entry);
      continue;
    }
    let bucket = group.attachments.find((a) => a.attachment.number === attachment.number);
    if (!bucket) {
      bucket = { attachment, entries: [] };
      group.attachments.push(bucket);
    }
    bucket.entries.push(entry);
  }
  const result = [...groups.values()];
  for (const group of result) {
    group.entries.sort(byPosition);
    group.attachments.sort((a, b) => a.attachment.number - b.attachment.number);
    for (const a of group.attachments) a.entries.sort(byPosition);
  }
  // Packet order: items by number; pages outside the agenda (the contents page) come first.
  return result.sort((a, b) => (a.item?.number ?? -1) - (b.item?.number ?? -1));
}
