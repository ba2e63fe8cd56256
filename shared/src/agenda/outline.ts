/** The agenda structure of a packet: what detection produces and what grouping and export read. */
import type { AgendaRef } from '../model/annotation.ts';

export interface AgendaAttachment {
  number: number;
  title: string;
  firstPage: number;
  lastPage: number;
}

export interface AgendaItem {
  number: number;
  title: string;
  firstPage: number;
  /** Includes the item's attachments. */
  lastPage: number;
  attachments: AgendaAttachment[];
}

export interface AgendaOutline {
  pages: number;
  items: AgendaItem[];
}

export interface PagePlace {
  agendaItem: AgendaRef | null;
  attachment: AgendaRef | null;
}

/** The agenda item and attachment a page belongs to (both null on the contents page). */
export function placeOfPage(outline: AgendaOutline | undefined, page: number): PagePlace {
  const item = outline?.items.find((i) => page >= i.firstPage && page <= i.lastPage);
  if (!item) return { agendaItem: null, attachment: null };
  const attachment = item.attachments.find((a) => page >= a.firstPage && page <= a.lastPage);
  return {
    agendaItem: { number: item.number, title: item.title },
    attachment: attachment ? { number: attachment.number, title: attachment.title } : null,
  };
}
