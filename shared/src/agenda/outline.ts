/** The agenda structure of a packet: what detection produces and what grouping and export read. */
import type { AgendaRef } from '../model/annotation.ts';
import { headingText } from './agenda-grammar.ts';

export interface AgendaAttachment {
  number: number;
  /**
   * The packet's own name for it: "Bilag 2", "Bilag 3.2", "Appendix B". Detection always sets it;
   * outlines stored before labels have none, and views use their language's word then.
   */
  label?: string;
  title: string;
  firstPage: number;
  lastPage: number;
}

export interface AgendaItem {
  number: number;
  /** The packet's own name for it: "Punkt 3", "Sag 3", "3." (absent in outlines stored before labels). */
  label?: string;
  title: string;
  firstPage: number;
  /** Includes the item's attachments. */
  lastPage: number;
  attachments: AgendaAttachment[];
}

export interface AgendaOutline {
  pages: number;
  items: AgendaItem[];
  /**
   * How sure detection is of the whole structure, 0 to 1. Below AGENDA_SURE the structure is a
   * guess: the UI says so and notes are grouped by page, not by a possibly wrong item.
   */
  confidence: number;
}

/** The confidence from which an outline is trusted for grouping and placing notes. */
export const AGENDA_SURE = 0.7;

/** The usual labels, where the packet gives none: what the views showed before labels. */
export const defaultItemLabel = (n: number) => `Punkt ${n}`;
export const defaultAttachmentLabel = (n: number) => `Bilag ${n}`;

/** True when the outline names items but is not sure of them. */
export function isGuessed(outline: AgendaOutline | undefined): boolean {
  return outline !== undefined && outline.items.length > 0 && outline.confidence < AGENDA_SURE;
}

/** The outline when it may place notes (it names items and is sure of them); undefined otherwise. */
export function trustedOutline(outline: AgendaOutline | undefined): AgendaOutline | undefined {
  return outline && outline.items.length > 0 && !isGuessed(outline) ? outline : undefined;
}

/** An item's heading as the views write it: "Sag 3: Budget" (the usual "Punkt 3" without a label). */
export function itemHeading(item: { number: number; label?: string; title: string }): string {
  return headingText(item.label ?? defaultItemLabel(item.number), item.title);
}

/** An attachment's heading: "Bilag 3.2: Notat" (the usual "Bilag 2" without a label). */
export function attachmentHeading(attachment: { number: number; label?: string; title: string }): string {
  return headingText(attachment.label ?? defaultAttachmentLabel(attachment.number), attachment.title);
}

/** The place a note records: number, title, and the packet's label when there is one. */
export function refOf(entry: { number: number; title: string; label?: string }): AgendaRef {
  return { number: entry.number, title: entry.title, ...(entry.label !== undefined ? { label: entry.label } : {}) };
}

export interface PagePlace {
  agendaItem: AgendaRef | null;
  attachment: AgendaRef | null;
}

/**
 * The agenda item and attachment a page belongs to (both null on the contents page). A guessed
 * outline places nothing: a note filed under a wrong item is worse than one filed by page.
 */
export function placeOfPage(outline: AgendaOutline | undefined, page: number): PagePlace {
  const item = trustedOutline(outline)?.items.find((i) => page >= i.firstPage && page <= i.lastPage);
  if (!item) return { agendaItem: null, attachment: null };
  const attachment = item.attachments.find((a) => page >= a.firstPage && page <= a.lastPage);
  return {
    agendaItem: refOf(item),
    attachment: attachment ? refOf(attachment) : null,
  };
}
