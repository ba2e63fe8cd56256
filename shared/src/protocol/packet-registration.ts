/**
 * The body of POST /api/packets (protocol/http-api.ts): what a client knows about the document it
 * opened. The outline is rebuilt from the fields the schema names (anything else, `__proto__`
 * included, is dropped), so what is stored, hashed into an alias and later exported has a fixed
 * shape and depth; the bounds are part of the contract (docs/PROTOCOL.md), like the annotation
 * limits, so that every client knows them.
 */
import * as v from 'valibot';
import type { AgendaOutline } from '../agenda/outline.ts';
import { AnnotationLimits } from '../model/annotation.ts';
import { fraction, jsonObject, matching, nonBlankText, text, whole } from '../model/validation.ts';

export const RegistrationLimits = {
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

const page = whole(1, RegistrationLimits.maxPages, `must be a page number from 1 to ${RegistrationLimits.maxPages}`);
const LAST_PAGE_MESSAGE = 'must be a page number, not before firstPage';
const titleMessage = `must be text of at most ${RegistrationLimits.titleMaxChars} characters`;

/** An item's or attachment's pages and names. A label is optional: clients from before labels send none (the views use their language's word then). */
const rangeFields = {
  number: whole(0, RegistrationLimits.maxNumber, `must be an integer from 0 to ${RegistrationLimits.maxNumber}`),
  label: v.optional(nonBlankText(RegistrationLimits.labelMaxChars, `must be text of 1 to ${RegistrationLimits.labelMaxChars} characters`)),
  title: text(RegistrationLimits.titleMaxChars, titleMessage),
  firstPage: page,
  lastPage: whole(1, RegistrationLimits.maxPages, 'must be a page number, not before firstPage'),
};

const RANGE_SHAPE = '{number, label?, title, firstPage, lastPage}';

const AttachmentSchema = v.pipe(
  jsonObject(rangeFields, `must be an object ${RANGE_SHAPE}`),
  v.forward(
    v.check((range) => range.lastPage >= range.firstPage, LAST_PAGE_MESSAGE),
    ['lastPage'],
  ),
);

const ItemSchema = v.pipe(
  jsonObject(
    { ...rangeFields, attachments: v.nullish(v.array(AttachmentSchema, 'must be an array'), () => []) },
    `must be an object ${RANGE_SHAPE}`,
  ),
  v.forward(
    v.check((range) => range.lastPage >= range.firstPage, LAST_PAGE_MESSAGE),
    ['lastPage'],
  ),
);

/**
 * `{ pages, confidence?, items: [{ number, label?, title, firstPage, lastPage, attachments?: [{ number, label?, title,
 * firstPage, lastPage }] }] }`; without a confidence the outline counts as sure (as clients before it meant it).
 */
const OutlineSchema: v.GenericSchema<unknown, AgendaOutline> = v.pipe(
  jsonObject(
    {
      pages: whole(1, RegistrationLimits.maxPages, `must be a page count from 1 to ${RegistrationLimits.maxPages}`),
      confidence: v.optional(fraction('must be a number from 0 to 1'), 1),
      items: v.pipe(
        v.array(ItemSchema, 'must be an array'),
        v.maxLength(RegistrationLimits.itemsMax, `must hold at most ${RegistrationLimits.itemsMax} items`),
      ),
    },
    'must be an object {pages, items}',
  ),
  v.check(
    (outline) => outline.items.reduce((n, item) => n + item.attachments.length, 0) <= RegistrationLimits.attachmentsMax,
    `must hold at most ${RegistrationLimits.attachmentsMax} attachments in all`,
  ),
);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD and a day that exists. */
function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const fingerprintMessage = 'must be the PDF fingerprint (hex)';
const dateMessage = 'must be a date, YYYY-MM-DD';

export const PacketRegistrationSchema = jsonObject(
  {
    fingerprint: v.pipe(matching(FINGERPRINT, fingerprintMessage), v.toLowerCase()),
    url: v.nullish(text(RegistrationLimits.urlMaxChars, `must be text of at most ${RegistrationLimits.urlMaxChars} characters`), null),
    contentHash: v.nullish(matching(SHA256, 'must be a sha256 in hex'), null),
    title: v.optional(text(RegistrationLimits.titleMaxChars, titleMessage), ''),
    pageCount: v.nullish(whole(1, RegistrationLimits.maxPages, `must be an integer from 1 to ${RegistrationLimits.maxPages}`), null),
    meetingDate: v.nullish(
      v.custom<string>((x) => typeof x === 'string' && isDate(x), dateMessage),
      null,
    ),
    outline: v.nullish(OutlineSchema, null),
  },
  'must be a JSON object',
);

/** A registration as checked: absent fields filled in (no title is '', the rest null). */
export type PacketRegistration = v.InferOutput<typeof PacketRegistrationSchema>;
