/**
 * Reads an AgendaOutline from untrusted JSON (a client registers the outline it detected; the
 * server keeps it for grouping and export). Anything malformed is dropped, never trusted.
 * Outlines stored before labels and confidence existed stay readable: their items have no label
 * (the views use their language's word, as they did then) and they count as sure, as they were.
 */
import { AnnotationLimits } from '../model/annotation.ts';
import type { AgendaAttachment, AgendaItem, AgendaOutline } from './outline.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPage = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isNumber = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function rangeOf(v: Json): AgendaAttachment | null {
  if (!isNumber(v.number) || typeof v.title !== 'string' || !isPage(v.firstPage) || !isPage(v.lastPage)) return null;
  if (v.lastPage < v.firstPage) return null;
  const label = typeof v.label === 'string' && v.label.trim() !== '' ? { label: v.label.slice(0, AnnotationLimits.labelMaxChars) } : {};
  return { number: v.number, ...label, title: v.title.slice(0, 1000), firstPage: v.firstPage, lastPage: v.lastPage };
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

const isConfidence = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/** The outline, or undefined when the value is not one. */
export function parseAgendaOutline(v: unknown): AgendaOutline | undefined {
  if (!isObject(v) || !isPage(v.pages) || !Array.isArray(v.items)) return undefined;
  return {
    pages: v.pages,
    items: v.items.map(itemOf).filter((i) => i !== null),
    confidence: isConfidence(v.confidence) ? v.confidence : 1,
  };
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
