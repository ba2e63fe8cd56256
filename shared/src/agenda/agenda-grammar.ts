/**
 * The heading grammar of meeting packets, in two layers.
 *
 * 1. `readLabel` reads the shape every meeting system uses, whatever its words: a keyword and a
 *    number at the start of a line, then a separator and a title. It does not know what the
 *    keyword means:
 *
 *      Keyword N  Sep  Title                  "Punkt 3: Budget", "Sag 3 · Budget", "Ärende 3. Budget"
 *      Keyword N.M  Sep  Title                "Bilag 3.2 – Notat"
 *      Keyword N (keyword N)  Sep  Title      "Bilag 2 (pkt. 3): Notat"
 *      Keyword N, Keyword M  Sep  Title       "Punkt 3, Bilag 2: Notat"
 *      N[.)]  Title                           "3. Budget", "3) Budget"  (a bare number)
 *
 *    Keywords are one or two words starting with a capital letter ("Sag", "Pkt.", "TOP", "Agenda
 *    item"), optionally followed by "nr."; so "punkt 3 i aftalen" in running text is not a label.
 *    Numbers have one to three digits and are not the start of "3,5" or "3a"; an appendix letter
 *    A-Z counts as 1-26. Sep is one of `: . ) · | - – —`, or a space before a capitalised title.
 * 2. A `Vocabulary` says which keywords name agenda items and which name attachments. The
 *    default one knows the usual words (Punkt, Pkt., Sag, Dagsordenspunkt, Item, TOP; Bilag,
 *    Attachment, Appendix, Anlage, …); vocabulary.ts learns others from the packet's own contents
 *    page and outline. `parseHeading` reads a line with a vocabulary.
 *
 * Where a line may stand (page head, contents page) is the detector's business, not this file's.
 * Documented with examples in docs/AGENDA.md.
 */

/** How sure the line alone makes us: a keyword heading stands on its own, a bare number does not. */
const HeadingStrength = { keyword: 'keyword', numbered: 'numbered' } as const;
type HeadingStrength = (typeof HeadingStrength)[keyof typeof HeadingStrength];

export type Heading =
  | {
      kind: 'item';
      number: number;
      title: string;
      strength: HeadingStrength;
      /** The item's name as the packet writes it: "Sag 3", "Punkt 3", "3.". */
      label: string;
    }
  | {
      kind: 'attachment';
      /** null for a header that names only the attachment ("Bilag 2: …"). */
      item: number | null;
      number: number;
      title: string;
      /** "Bilag 3.2", "Bilag 2", "Appendix B". */
      label: string;
      /** The item's name when the header writes it ("Punkt 3" in "Punkt 3, Bilag 2: …"). */
      itemLabel: string | null;
    };

export interface ContentsEntry {
  heading: Heading;
  /** The page number printed in the contents (not necessarily the PDF page index). */
  page: number;
}

/** A keyword with its number, as a line writes it. */
interface LabelPart {
  /** The keyword as written, spaces collapsed: "Sag nr.", "Pkt.", "Bilag"; '' for a bare number. */
  word: string;
  /** The keyword as compared: lower case, without "nr." or a final dot ("sag", "pkt", "bilag"). */
  key: string;
  /** 3 for "3" and "3.2"; 2 for "B". */
  number: number;
  /** 2 for "3.2". */
  minor: number | null;
  letter: boolean;
  /** The part as written: "Sag 3", "Bilag 3.2", "Appendix B". */
  text: string;
}

export interface LabelledLine {
  first: LabelPart;
  /** The second part of "Punkt 3, Bilag 2: …". */
  second: LabelPart | null;
  /** "(pkt. 3)" after the number or at the end of the title. */
  qualifier: LabelPart | null;
  /** The title after the whole label. */
  title: string;
  /** The title when the line is read with its first part only (null when that reading fails). */
  plainTitle: string | null;
  /** A bare number ("3. Budget"): no keyword. */
  bare: boolean;
  /** The separator after a bare number ("." or ")"), kept for its label. */
  sep: string;
  /** The title follows the label after a space only, no punctuation ("Bilag 2 Notat"). */
  spaced: boolean;
}

type Role = 'item' | 'attachment';

/** Which keywords (by `key`) name agenda items and which attachments. */
export interface Vocabulary {
  roleOf(key: string): Role | null;
}

const ITEM_KEYS = ['punkt', 'pkt', 'dagsordenspunkt', 'dagsordenpunkt', 'sag', 'item', 'agenda item', 'top', 'tagesordnungspunkt'];
const ATTACHMENT_KEYS = ['bilag', 'attachment', 'appendix', 'annex', 'enclosure', 'anlage'];

export function makeVocabulary(
  item: Iterable<string>,
  attachment: Iterable<string>,
): Vocabulary & { item: Set<string>; attachment: Set<string> } {
  const items = new Set(item);
  const attachments = new Set(attachment);
  return {
    item: items,
    attachment: attachments,
    roleOf: (key) => (items.has(key) ? 'item' : attachments.has(key) ? 'attachment' : null),
  };
}

export const DEFAULT_VOCABULARY = makeVocabulary(ITEM_KEYS, ATTACHMENT_KEYS);

const NR = '(?:nr|Nr|NR|no|No|NO)\\.?';
/** One capitalised (or all-capital) word, maybe abbreviated, maybe a second word ("Agenda item"), maybe "nr.". */
const KEYWORD = `\\p{Lu}\\p{L}*\\.?(?:\\s+${NR}|\\s+\\p{L}{2,14}(?:\\s+${NR})?)?`;
/**
 * "3.2", "3" or "B" (a letter only after a space: "RDM-…" is a word), not the start of "3,5",
 * "3.2.1", "3a" or a longer number.
 */
const ID = '(?:\\s*(\\d{1,3}\\.\\d{1,3}|\\d{1,3})|\\s+([A-Z]))(?![.,]?\\d|\\p{L})';
/** A punctuation separator, or a space before a title that starts like a title. */
const SEPARATOR = '(?:\\s*[:.)·|\\-–—]\\s*|\\s+(?=[\\p{Lu}\\d"“”„«»\'‘’(]))';
/** "(pkt. 3)", "(til punkt 3)", "(Sag 3)": the item an attachment belongs to. */
const QUALIFIER = '\\(\\s*(?:(?:til|for|vedr\\.?|to|zu)\\s+)?(\\p{L}+\\.?(?:\\s+(?:nr|no)\\.?)?)\\s*(\\d{1,3})\\s*\\)';

/*
 * The patterns are made where they are used, not kept in constants: V8 keeps the machine code it
 * compiles for a regular expression as long as the object lives, tens of KB each for these (the
 * Unicode classes), 0.25 MB for a viewer that read its packet once. Made again, a pattern comes
 * from V8's compilation cache while it is in use and is compiled once; its code goes once reading
 * is over (docs/PERFORMANCE.md, "Memory").
 */
const LABEL_START = `^(${KEYWORD})${ID}`;
const REST_QUALIFIER = `^\\s*${QUALIFIER}`;
const REST_COMPOUND = `^\\s*[,/\\-–—·]?\\s*(${KEYWORD})${ID}`;
const REST_TITLE = `^(?:(${SEPARATOR})(.*))?$`;
const TRAILING_QUALIFIER = `\\s*${QUALIFIER}$`;
/** "3. Budget", "3) Budget", "3 Budget": the title must start with a capital letter. */
const BARE = String.raw`^(\d{1,2})(?:([.)])\s*|\s+)(\p{Lu}.*)$`;

/** Leader dots or a dash, "side"/"page" and the page number at the end of a contents line. */
const CONTENTS_PAGE = String.raw`^(.*?)(?:\s*(?:\.{2,}|…+)\s*|\s+[-–—]\s*|\s+)(?:(?:side|Side|s\.|S\.|page|Page|p\.|Seite|sida|Sida)\s*)?(\d{1,4})$`;

/** The compared form of a keyword: "Sag nr." → "sag", "Pkt." → "pkt", "Agenda Item" → "agenda item". */
function keyOf(word: string): string {
  return word
    .toLowerCase()
    .replace(/\s+(?:nr|no)\.?$/u, '')
    .replace(/\.$/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

function partOf(word: string, id: string): LabelPart {
  const written = word.replace(/\s+/gu, ' ').trim();
  const dotted = /^(\d+)\.(\d+)$/.exec(id);
  const letter = /^[A-Z]$/.test(id);
  return {
    word: written,
    key: keyOf(written),
    number: dotted ? Number(dotted[1]) : letter ? id.charCodeAt(0) - 64 : Number(id),
    minor: dotted ? Number(dotted[2]) : null,
    letter,
    text: `${written} ${id}`,
  };
}

/** Trailing dot leaders (two or more dots or ellipses) go; scanned from the end, as a regular expression would backtrack over every run of dots. */
function withoutLeaders(text: string): string {
  const end = text.trimEnd().length;
  let start = end;
  while (start > 0 && (text[start - 1] === '.' || text[start - 1] === '…')) start--;
  return end - start >= 2 ? text.slice(0, start) : text;
}

/** Trailing dot leaders and stray separators are not part of a title. */
export function cleanTitle(title: string | undefined): string {
  return withoutLeaders(title ?? '')
    .replace(/^[\s:.·|\-–—]+/u, '')
    .trim();
}

/** Reads the label at the start of a line, whatever its keyword means; null when the line has none. */
export function readLabel(line: string): LabelledLine | null {
  const text = line.trim();
  const bare = new RegExp(BARE, 'u').exec(text);
  if (bare) {
    return {
      first: { word: '', key: '', number: Number(bare[1]), minor: null, letter: false, text: bare[1] as string },
      second: null,
      qualifier: null,
      title: cleanTitle(bare[3]),
      plainTitle: cleanTitle(bare[3]),
      bare: true,
      sep: bare[2] ?? '',
      spaced: bare[2] === undefined,
    };
  }
  const start = new RegExp(LABEL_START, 'u').exec(text);
  if (!start) return null;
  const first = partOf(start[1] as string, (start[2] ?? start[3]) as string);
  let rest = text.slice(start[0].length);
  const plain = new RegExp(REST_TITLE, 'u').exec(rest);
  let qualifier: LabelPart | null = null;
  let second: LabelPart | null = null;
  const q = new RegExp(REST_QUALIFIER, 'u').exec(rest);
  if (q) {
    qualifier = partOf(q[1] as string, q[2] as string);
    rest = rest.slice(q[0].length);
  } else {
    const c = new RegExp(REST_COMPOUND, 'u').exec(rest);
    if (c && new RegExp(REST_TITLE, 'u').test(rest.slice(c[0].length))) {
      second = partOf(c[1] as string, (c[2] ?? c[3]) as string);
      rest = rest.slice(c[0].length);
    }
  }
  const titled = new RegExp(REST_TITLE, 'u').exec(rest);
  if (!titled && !plain) return null;
  let title = cleanTitle(titled?.[2]);
  if (!qualifier) {
    const trailing = new RegExp(TRAILING_QUALIFIER, 'u').exec(title);
    if (trailing) {
      qualifier = partOf(trailing[1] as string, trailing[2] as string);
      title = title.slice(0, trailing.index).trim();
    }
  }
  return {
    first,
    second,
    qualifier,
    title: titled ? title : '',
    plainTitle: plain ? cleanTitle(plain[2]) : null,
    bare: false,
    sep: '',
    spaced: titled?.[1] !== undefined && titled[1].trim() === '',
  };
}

/** Reads a labelled line with a vocabulary: an item heading, an attachment header, or null. */
export function headingOf(labelled: LabelledLine, vocabulary: Vocabulary): Heading | null {
  const { first, second, qualifier } = labelled;
  if (labelled.bare) {
    return { kind: 'item', number: first.number, title: labelled.title, strength: 'numbered', label: `${first.text}${labelled.sep}` };
  }
  const role = vocabulary.roleOf(first.key);
  if (role === 'item') {
    if (first.minor !== null || first.letter) return null;
    if (second && vocabulary.roleOf(second.key) === 'attachment' && second.minor === null) {
      return {
        kind: 'attachment',
        item: first.number,
        number: second.number,
        title: labelled.title,
        label: second.text,
        itemLabel: first.text,
      };
    }
    if (labelled.plainTitle === null) return null;
    return { kind: 'item', number: first.number, title: labelled.plainTitle, strength: 'keyword', label: first.text };
  }
  if (role !== 'attachment') return null;
  // "Bilag 2 – RDM-indstilling": what looked like a second label is the title's first word.
  if (second && vocabulary.roleOf(second.key) !== null) return null;
  const title = second ? labelled.plainTitle : labelled.title;
  if (title === null) return null;
  if (first.minor !== null) {
    return { kind: 'attachment', item: first.number, number: first.minor, title, label: first.text, itemLabel: null };
  }
  const parent = qualifier && vocabulary.roleOf(qualifier.key) === 'item' ? qualifier : null;
  // "Bilag 2 Notat" without punctuation is a sentence, unless the header names its item.
  if (!parent && labelled.spaced) return null;
  return {
    kind: 'attachment',
    item: parent ? parent.number : null,
    number: first.number,
    title,
    label: first.text,
    itemLabel: parent ? parent.text : null,
  };
}

/** Reads one line as an item heading or an attachment header; null for anything else. */
export function parseHeading(line: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): Heading | null {
  const labelled = readLabel(line);
  return labelled ? headingOf(labelled, vocabulary) : null;
}

/**
 * Longer lines are not contents entries: a wrapped entry is a few hundred characters at most, and
 * CONTENTS_PAGE backtracks in time quadratic in a run of leader dots (a line of 4,000 dots took a
 * quarter of a second; a hostile PDF could repeat it on every line).
 */
const MAX_ENTRY_CHARS = 500;

/** A line that ends in a page number, split into the text before it and the number. */
export function splitContentsLine(line: string): { text: string; page: number } | null {
  const text = line.trim();
  // Most lines do not end in a number: skip the pattern for them (it is the detector's costliest).
  if (text.length > MAX_ENTRY_CHARS || !/\d$/.test(text)) return null;
  const m = new RegExp(CONTENTS_PAGE, 'u').exec(text);
  return m ? { text: m[1] as string, page: Number(m[2]) } : null;
}

/** Reads a contents line: a heading followed by its page number. */
export function parseContentsEntry(line: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): ContentsEntry | null {
  const split = splitContentsLine(line);
  if (!split) return null;
  const heading = parseHeading(split.text, vocabulary);
  if (!heading || heading.title === '') return null;
  return { heading, page: split.page };
}

/**
 * How a heading reads to people: "Sag 3: Budget", and "3. Budget" for a label that ends in its
 * own punctuation. Every view (Indhold, Overblik, exports, the command line) writes headings so.
 */
export function headingText(label: string, title: string): string {
  if (title === '') return label;
  return /[.)]$/.test(label) ? `${label} ${title}` : `${label}: ${title}`;
}
