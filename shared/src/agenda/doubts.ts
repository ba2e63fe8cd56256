/**
 * Why detection is not sure of an agenda. Each kind of doubt caps the outline's confidence; the
 * lowest cap wins, so one item placed on weak evidence makes the whole structure a guess (a note
 * filed under a wrong item is a defect, an honest "guessed" is not). The caps below AGENDA_SURE
 * (0.7, outline.ts) mark what detection cannot know; HEADINGS_ONLY only says there was less to
 * go on. The reasons are for people: the command line prints them.
 */
export const DoubtKind = {
  /** No contents page or outline names the items: they are read from their headings (sure enough). */
  headingsOnly: 'headings-only',
  /** The items are bare numbers ("3. Budget") and nothing confirms them. */
  bareNumbers: 'bare-numbers',
  /** A number read without a digit glued onto it ("Punkt 31" as 3). */
  unglued: 'unglued',
  /** An item seen only in its attachments' headers: its own first page may be a scan. */
  onlyThroughAttachments: 'only-through-attachments',
  /** Item numbers skip one, and no contents page says the packet does. */
  numberGap: 'number-gap',
  /** A heading set apart that fits no place in the sequence of items. */
  strayHeading: 'stray-heading',
  /** A heading set apart, or an attachment header, naming an item the contents page or outline does not list. */
  unlistedHeading: 'unlisted-heading',
  /** The contents page or the outline names an item or attachment that no page shows. */
  notFound: 'not-found',
  /** The outline and the contents page put an item on different pages. */
  sourcesDisagree: 'sources-disagree',
  /** The contents page or outline puts an item on one page, its heading stands on another. */
  headingElsewhere: 'heading-elsewhere',
  /** The items do not follow their numbers through the packet. */
  outOfOrder: 'out-of-order',
  /** An attachment is listed on a page outside its item. */
  outsideItem: 'outside-item',
  /** An attachment's running header stands before the page the contents or outline gives. */
  headerBeforeListed: 'header-before-listed',
  /** A page without text right before an attachment found by its header alone may be its first page. */
  scanBeforeStart: 'scan-before-start',
  /** An item or attachment without a title. */
  noTitle: 'no-title',
  /** Nothing on the pages confirms the page numbers the contents page prints. */
  numbersUnconfirmed: 'numbers-unconfirmed',
  /** The pages disagree about the page numbers the contents page prints. */
  numbersDisagree: 'numbers-disagree',
  /** The footers' page numbers and the pages the contents points to disagree. */
  footersDisagree: 'footers-disagree',
} as const;
export type DoubtKind = (typeof DoubtKind)[keyof typeof DoubtKind];

/** The most confidence an outline may have with each kind of doubt. */
const DOUBT_CAPS: Record<DoubtKind, number> = {
  'headings-only': 0.85,
  'bare-numbers': 0.6,
  unglued: 0.65,
  'only-through-attachments': 0.6,
  'number-gap': 0.6,
  'stray-heading': 0.6,
  'unlisted-heading': 0.6,
  'not-found': 0.5,
  'sources-disagree': 0.6,
  'heading-elsewhere': 0.5,
  'out-of-order': 0.5,
  'outside-item': 0.6,
  'header-before-listed': 0.5,
  'scan-before-start': 0.6,
  'no-title': 0.5,
  'numbers-unconfirmed': 0.6,
  'numbers-disagree': 0.6,
  'footers-disagree': 0.5,
};

export interface Doubt {
  kind: DoubtKind;
  /** The most confidence the outline may have with this doubt (0 to 1). */
  confidence: number;
  reason: string;
}

export function doubt(kind: DoubtKind, reason: string): Doubt {
  return { kind, confidence: DOUBT_CAPS[kind], reason };
}

export function confidenceOf(base: number, doubts: readonly Doubt[]): number {
  return Math.min(base, ...doubts.map((d) => d.confidence));
}
