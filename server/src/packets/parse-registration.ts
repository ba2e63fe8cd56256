/**
 * POST /api/packets bodies, checked field by field. The outline is rebuilt from the fields the
 * schema names (anything else, `__proto__` included, is dropped), so what is stored, hashed into
 * an alias and later exported has a fixed shape and depth; the bounds are part of the contract
 * (docs/PROTOCOL.md), like the annotation limits, so that every client knows them.
 */
import type { AgendaAttachment, AgendaItem, AgendaOutline } from '@randnoter/shared/agenda/outline';
import { AnnotationLimits } from '@randnoter/shared/model/annotation';
import { fail, ok, type Result } from '@randnoter/shared/model/result';

export interface PacketRegistration {
  fingerprint: string;
  url: string | null;
  contentHash: string | null;
  title: string;
  pageCount: number | null;
  meetingDate: string | null;
  outline: AgendaOutline | null;
}

const RegistrationLimits = {
  titleMaxChars: AnnotationLimits.titleMaxChars,
  /** An item's or attachment's label as the packet writes it ("Sag nr. 3", "Bilag 3.2"). */
  labelMaxChars: AnnotationLimits.labelMaxChars,
  urlMaxChars: 4096,
  /** Pages of a packet, and any page number in its outline. */
  maxPages: 100_000,
  /** An agenda item's or attachment's number. */
  maxNumber: 1_000_000,
  itemsMax: 1_000,
  /** Attachments of all items together. */
  attachmentsMax: 5_000,
} as const;

const FINGERPRINT = /^[0-9a-fA-F]{16,64}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPage = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= RegistrationLimits.maxPages;
const isNumber = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= RegistrationLimits.maxNumber;

/** YYYY-MM-DD and a day that exists. */
function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const date = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v;
}

/** A label is optional: clients from before labels send none (the views use their language's word then). */
function parseRange(v: unknown, path: string): Result<AgendaAttachment> {
  if (!isObject(v)) return fail(`${path} must be an object {number, label?, title, firstPage, lastPage}`);
  if (!isNumber(v.number)) return fail(`${path}.number must be an integer from 0 to ${RegistrationLimits.maxNumber}`);
  if (
    v.label !== undefined &&
    (typeof v.label !== 'string' || v.label.trim() === '' || v.label.length > RegistrationLimits.labelMaxChars)
  ) {
    return fail(`${path}.label must be text of 1 to ${RegistrationLimits.labelMaxChars} characters`);
  }
  if (typeof v.title !== 'string' || v.title.length > RegistrationLimits.titleMaxChars) {
    return fail(`${path}.title must be text of at most ${RegistrationLimits.titleMaxChars} characters`);
  }
  if (!isPage(v.firstPage)) return fail(`${path}.firstPage must be a page number from 1 to ${RegistrationLimits.maxPages}`);
  if (!isPage(v.lastPage) || v.lastPage < v.firstPage) return fail(`${path}.lastPage must be a page number, not before firstPage`);
  const label = typeof v.label === 'string' ? { label: v.label } : {};
  return ok({ number: v.number, ...label, title: v.title, firstPage: v.firstPage, lastPage: v.lastPage });
}

const isConfidence = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * `{ pages, confidence?, items: [{ number, label?, title, firstPage, lastPage, attachments?: [{ number, label?, title,
 * firstPage, lastPage }] }] }`; without a confidence the outline counts as sure (as clients before it meant it).
 */
function parseOutline(v: unknown): Result<AgendaOutline> {
  if (!isObject(v)) return fail('outline must be an object {pages, items}');
  if (!isPage(v.pages)) return fail(`outline.pages must be a page count from 1 to ${RegistrationLimits.maxPages}`);
  if (v.confidence !== undefined && !isConfidence(v.confidence)) return fail('outline.confidence must be a number from 0 to 1');
  if (!Array.isArray(v.items)) return fail('outline.items must be an array');
  if (v.items.length > RegistrationLimits.itemsMax) return fail(`outline.items: at most ${RegistrationLimits.itemsMax} items`);
  const items: AgendaItem[] = [];
  let attachmentCount = 0;
  for (const [i, raw] of v.items.entries()) {
    const path = `outline.items[${i}]`;
    const range = parseRange(raw, path);
    if (!range.ok) return range;
    const listed = (raw as Json).attachments ?? [];
    if (!Array.isArray(listed)) return fail(`${path}.attachments must be an array`);
    attachmentCount += listed.length;
    if (attachmentCount > RegistrationLimits.attachmentsMax) {
      return fail(`outline: at most ${RegistrationLimits.attachmentsMax} attachments in all`);
    }
    const attachments: AgendaAttachment[] = [];
    for (const [j, a] of listed.entries()) {
      const attachment = parseRange(a, `${path}.attachments[${j}]`);
      if (!attachment.ok) return attachment;
      attachments.push(attachment.value);
    }
    items.push({ ...range.value, attachments });
  }
  return ok({ pages: v.pages, items, confidence: typeof v.confidence === 'number' ? v.confidence : 1 });
}

export function parseRegistration(v: unknown): Result<PacketRegistration> {
  if (!isObject(v)) return fail('expected a JSON object');
  if (typeof v.fingerprint !== 'string' || !FINGERPRINT.test(v.fingerprint)) return fail('fingerprint must be the PDF fingerprint (hex)');
  if (v.url !== undefined && v.url !== null && (typeof v.url !== 'string' || v.url.length > RegistrationLimits.urlMaxChars)) {
    return fail(`url must be text of at most ${RegistrationLimits.urlMaxChars} characters`);
  }
  if (v.contentHash !== undefined && v.contentHash !== null && (typeof v.contentHash !== 'string' || !SHA256.test(v.contentHash))) {
    return fail('contentHash must be a sha256 in hex');
  }
  if (v.title !== undefined && (typeof v.title !== 'string' || v.title.length > RegistrationLimits.titleMaxChars)) {
    return fail(`title must be text of at most ${RegistrationLimits.titleMaxChars} characters`);
  }
  if (v.pageCount !== undefined && v.pageCount !== null && !isPage(v.pageCount)) {
    return fail(`pageCount must be an integer from 1 to ${RegistrationLimits.maxPages}`);
  }
  if (v.meetingDate !== undefined && v.meetingDate !== null && !isDate(v.meetingDate))
    return fail('meetingDate must be a date, YYYY-MM-DD');
  let outline: AgendaOutline | null = null;
  if (v.outline !== undefined && v.outline !== null) {
    const parsed = parseOutline(v.outline);
    if (!parsed.ok) return parsed;
    outline = parsed.value;
  }
  return ok({
    fingerprint: v.fingerprint.toLowerCase(),
    url: typeof v.url === 'string' ? v.url : null,
    contentHash: typeof v.contentHash === 'string' ? v.contentHash : null,
    title: typeof v.title === 'string' ? v.title : '',
    pageCount: typeof v.pageCount === 'number' ? v.pageCount : null,
    meetingDate: typeof v.meetingDate === 'string' ? v.meetingDate : null,
    outline,
  });
}
