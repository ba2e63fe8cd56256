/**
 * Reads an AgendaOutline from untrusted JSON (a client registers the outline it detected; the
 * server keeps it for grouping and export). Anything malformed is dropped, never trusted.
 */
import type { AgendaAttachment, AgendaItem, AgendaOutline } from './outline.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPage = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isNumber = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function rangeOf(v: Json): { number: number; title: string; firstPage: number; lastPage: number } | null {
  if (!isNumber(v.number) || typeof v.title !== 'string' || !isPage(v.firstPage) || !isPage(v.lastPage)) return null;
  if (v.lastPage < v.firstPage) return null;
  return { number: v.number, title: v.title.slice(0, 1000), firstPage: v.firstPage, lastPage: v.lastPage };
}

function attachmentOf(v: unknown): AgendaAttachment | null {
  return isObject(v) ? rangeOf(v) : null;
}

function itemOf(v: unknown): AgendaItem | null {
  if (!isObject(v)) return null;
  const range = rangeOf(v);
  if (!range) return null;
  const attachments = Array.isArray(v.attachments) ? v.attachments.map(attachmentOf).filter((a) => a !== null) : [];
  return { ...range, attachments };
}

/** The outline, or undefined when the value is not one. */
export function parseAgendaOutline(v: unknown): AgendaOutline | undefined {
  if (!isObject(v) || !isPage(v.pages) || !Array.isArray(v.items)) return undefined;
  return { pages: v.pages, items: v.items.map(itemOf).filter((i) => i !== null) };
}

/** The same from a JSON string as stored (null or broken JSON: undefined). */
export function parseStoredOutline(json: string | null): AgendaOutline | undefined {
  if (json === null) return undefined;
  try {
    return parseAgendaOutline(JSON.parse(json));
  } catch {
    return undefined;
  }
}
