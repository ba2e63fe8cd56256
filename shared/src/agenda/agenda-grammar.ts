/**
 * The heading grammar of meeting packets: which lines name an agenda item or an attachment.
 * It reads one line at a time; where a line may stand (page top, contents page) is decided by
 * the detector, not here. Documented with examples in docs/AGENDA.md.
 *
 *   item heading        ItemWord [nr.] N  Sep  Title        "Punkt 3: Budget", "Pkt. 3 - Budget", "Item 3: Budget",
 *                                                          "Dagsordenspunkt 3. Budget", "Punkt 3 Budget"
 *   numbered heading    N[.)]  Title                       "3. Budget"  (weak: needs confirmation, see detect-agenda)
 *   attachment header   ItemWord N[,/-] AttWord M  Sep Title  "Punkt 3, Bilag 2: Notat", "Item 3 - Attachment 2: Memo"
 *                       AttWord N.M  Sep  Title              "Bilag 3.2: Notat"
 *                       AttWord M  Sep  Title                "Bilag 2: Notat", "Appendix B: Memo"  (no item)
 *   contents entry      any of the above, then a page number  "Punkt 3: Budget ........ 5", "Bilag 2: Notat side 7"
 *
 * Words start with a capital letter (or are all capitals): "punkt 3 i aftalen" in running text
 * is not a heading. Sep is ":", ".", ")", a dash, or a space before a capitalised title.
 * Numbers have one to three digits and are not the start of "3.2" or "3,5"; an appendix letter
 * A-Z counts as 1-26.
 */

export const HeadingKind = { item: 'item', attachment: 'attachment' } as const;
export type HeadingKind = (typeof HeadingKind)[keyof typeof HeadingKind];

/** How sure the line alone makes us: a keyword heading stands on its own, a bare number does not. */
export const HeadingStrength = { keyword: 'keyword', numbered: 'numbered' } as const;
export type HeadingStrength = (typeof HeadingStrength)[keyof typeof HeadingStrength];

export type Heading =
  | { kind: 'item'; number: number; title: string; strength: HeadingStrength }
  /** `item` is null for a header that names only the attachment ("Bilag 2: …"). */
  | { kind: 'attachment'; item: number | null; number: number; title: string };

export interface ContentsEntry {
  heading: Heading;
  /** The page number printed in the contents (not necessarily the PDF page index). */
  page: number;
}

const ITEM_WORDS = [
  'Dagsordenspunkt',
  'Dagsordenpunkt',
  'Punkt',
  'Pkt.',
  'Pkt',
  'Agenda item',
  'Agenda Item',
  'Item',
  'Tagesordnungspunkt',
  'TOP',
];
const ATTACHMENT_WORDS = ['Bilag', 'Attachment', 'Appendix', 'Annex', 'Enclosure', 'Anlage'];

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "Punkt" and "PUNKT", longest first so "Pkt." wins over "Pkt". */
const wordsPattern = (words: string[]) =>
  [...new Set(words.flatMap((w) => [w, w.toUpperCase()]))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');

const ITEM = `(?:${wordsPattern(ITEM_WORDS)})`;
const ATTACHMENT = `(?:${wordsPattern(ATTACHMENT_WORDS)})`;
const NR = '(?:(?:nr|Nr|NR|no|No|NO)\\.?\\s*)?';
/** A number that is not the start of "3.2", "3,5" or "3a". */
const NUMBER = '(\\d{1,3})(?![.,]\\d|\\d|\\p{L})';
const ATTACHMENT_ID = '(\\d{1,3}|[A-Z])(?![.,]\\d|\\d|\\p{L})';
/** A punctuation separator, or a space before a title that starts like a title. */
const SEPARATOR = '(?:\\s*[:.)\\-–—]\\s*|\\s+(?=[\\p{Lu}\\d"“”„«»\'‘’(]))';
const TITLE = '(.*)';

const ITEM_HEADING = new RegExp(`^${ITEM}\\s*${NR}${NUMBER}(?:${SEPARATOR}${TITLE})?$`, 'u');
const FULL_ATTACHMENT = new RegExp(
  `^${ITEM}\\s*${NR}${NUMBER}\\s*[,/\\-–—]?\\s*${ATTACHMENT}\\s*${NR}${ATTACHMENT_ID}(?:${SEPARATOR}${TITLE})?$`,
  'u',
);
const DOTTED_ATTACHMENT = new RegExp(`^${ATTACHMENT}\\s*${NR}(\\d{1,3})\\.(\\d{1,3})(?!\\d)(?:${SEPARATOR}${TITLE})?$`, 'u');
const BARE_ATTACHMENT = new RegExp(`^${ATTACHMENT}\\s*${NR}${ATTACHMENT_ID}(?:\\s*[:.)\\-–—]\\s*${TITLE})?$`, 'u');
/** "3. Budget", "3) Budget", "3 Budget": the title must start with a capital letter. */
const NUMBERED_HEADING = /^(\d{1,2})(?:[.)]\s*|\s+)(\p{Lu}.*)$/u;

/** Leader dots, "side"/"page" and the page number at the end of a contents line. */
const CONTENTS_PAGE = /^(.*?)(?:\s*(?:\.{2,}|…+|\s)\s*)(?:(?:side|Side|s\.|S\.|page|Page|p\.)\s*)?(\d{1,4})$/u;

function attachmentNumber(id: string): number {
  return /^\d+$/.test(id) ? Number(id) : id.charCodeAt(0) - 64;
}

/** Trailing dot leaders and stray separators are not part of a title. */
export function cleanTitle(title: string | undefined): string {
  return (title ?? '')
    .replace(/\s*(?:\.{2,}|…{2,})\s*$/u, '')
    .replace(/^[\s:.\-–—]+/u, '')
    .trim();
}

/** Reads one line as an item heading or an attachment header; null for anything else. */
export function parseHeading(line: string): Heading | null {
  const text = line.trim();
  let m = FULL_ATTACHMENT.exec(text);
  if (m) return { kind: 'attachment', item: Number(m[1]), number: attachmentNumber(m[2] as string), title: cleanTitle(m[3]) };
  m = DOTTED_ATTACHMENT.exec(text);
  if (m) return { kind: 'attachment', item: Number(m[1]), number: Number(m[2]), title: cleanTitle(m[3]) };
  m = BARE_ATTACHMENT.exec(text);
  if (m) return { kind: 'attachment', item: null, number: attachmentNumber(m[1] as string), title: cleanTitle(m[2]) };
  m = ITEM_HEADING.exec(text);
  if (m) return { kind: 'item', number: Number(m[1]), title: cleanTitle(m[2]), strength: 'keyword' };
  m = NUMBERED_HEADING.exec(text);
  if (m) return { kind: 'item', number: Number(m[1]), title: cleanTitle(m[2]), strength: 'numbered' };
  return null;
}

/** Reads a contents line: a heading followed by its page number. */
export function parseContentsEntry(line: string): ContentsEntry | null {
  const m = CONTENTS_PAGE.exec(line.trim());
  if (!m) return null;
  const heading = parseHeading(m[1] as string);
  if (!heading || heading.title === '') return null;
  return { heading, page: Number(m[2]) };
}
