/**
 * Agenda detection: from the packet's page text (and its PDF outline, when it has one) to the
 * agenda items and attachments with their pages, their labels as the packet writes them, and how
 * sure detection is. The packet is read through its own apparatus, in this order:
 *
 * 1. Furniture (page-furniture.ts) and page numbers (page-numbers.ts): the lines repeated at the
 *    edges of pages, and what the footers say about printed page numbers.
 * 2. The contents pages, whatever their title, and the outline; the words they use for items and
 *    attachments are learned (vocabulary.ts).
 * 3. Each page's head (read-page.ts): the heading it starts with, read with those words.
 * 4. When the contents or the outline name agenda items, they decide which items exist, so a
 *    heading at the top of a page inside an attachment (earlier minutes) is not taken for one.
 *    Without them, items are the longest chain of page headings whose numbers rise with the
 *    pages; consecutive numbers and headings set larger than the body text count for more.
 * 5. An item runs to the page before the next item. Within it, attachments start where a
 *    reference or their running header first puts them and run to the next attachment, so pages
 *    without text (scans) belong to the attachment around them.
 * Titles come from the outline, then the contents, then the pages themselves. Every place where
 * the evidence is thin or contradicts itself is a doubt (doubts.ts) that lowers the confidence.
 */
import type { PageText } from '../text/page-text.ts';
import {
  type ContentsPage,
  contentsReferences,
  findContentsPages,
  outlineReferences,
  type PdfOutlineEntry,
  type Reference,
} from './agenda-references.ts';
import { confidenceOf, type Doubt, DoubtKind, doubt } from './doubts.ts';
import { type AgendaAttachment, type AgendaItem, type AgendaOutline, defaultAttachmentLabel, defaultItemLabel } from './outline.ts';
import { findFurniture } from './page-furniture.ts';
import { readPageNumbering } from './page-numbers.ts';
import { linesOf, type PageMark, type PageReading, readPage, repeatsTitle, setApart, titleKey } from './read-page.ts';
import { learnVocabulary } from './vocabulary.ts';

export interface DetectAgendaOptions {
  /** The PDF outline with resolved pages, if the packet has one. */
  outline?: readonly PdfOutlineEntry[] | null;
}

/** The outline and why detection is not sure of it (empty when it is). */
export interface AgendaAnalysis {
  outline: AgendaOutline;
  doubts: Doubt[];
}

interface Start {
  number: number;
  title: string;
  /** null when no source wrote the item's label (filled in from its siblings). */
  label: string | null;
  firstPage: number;
}

export function detectAgenda(pages: readonly PageText[], options: DetectAgendaOptions = {}): AgendaOutline {
  return analyseAgenda(pages, options).outline;
}

export function analyseAgenda(pages: readonly PageText[], options: DetectAgendaOptions = {}): AgendaAnalysis {
  const pageCount = pages.length;
  const furniture = findFurniture(pages);
  const lines = pages.map((page) => linesOf(page, furniture));
  const numbering = readPageNumbering(pages, furniture);
  const contentsPages: ContentsPage[] = findContentsPages(lines, numbering);
  const bookmarks = options.outline ?? [];
  const vocabulary = learnVocabulary(
    contentsPages.flatMap((c) => c.entries.map((e) => e.labelled)),
    bookmarks,
  );
  const readings = pages.map((page, i) => readPage(page, lines[i] ?? [], vocabulary, pageCount));
  const outlineRefs = outlineReferences(bookmarks, pageCount, vocabulary);
  const contents = contentsReferences(contentsPages, readings, numbering, vocabulary);
  const refs = [...outlineRefs, ...contents.refs];
  const doubts: Doubt[] = [];
  // The contents' page numbers matter only where the outline does not give the pages.
  if (!outlineRefs.some((r) => r.page !== null)) doubts.push(...contents.doubts);
  const byReferences = refs.some((r) => r.attachment === null);
  const starts = byReferences ? startsFromReferences(refs, readings, doubts) : startsFromHeadings(readings, doubts);

  const items: AgendaItem[] = starts.map((start, i) => {
    const next = starts[i + 1];
    const lastPage = next ? Math.max(start.firstPage, next.firstPage - 1) : pageCount;
    const range = { number: start.number, firstPage: start.firstPage, lastPage };
    const attachments = attachmentsOf(range, refs, readings, doubts);
    return { number: start.number, label: start.label ?? '', title: start.title, firstPage: start.firstPage, lastPage, attachments };
  });
  fillLabels(items, refs, readings);
  for (const item of items) {
    if (item.title === '') doubts.push(doubt(DoubtKind.noTitle, `${item.label} has no title`));
    for (const a of item.attachments) if (a.title === '') doubts.push(doubt(DoubtKind.noTitle, `${item.label}, ${a.label} has no title`));
  }
  const confidence = items.length === 0 ? 0 : confidenceOf(1, doubts);
  return { outline: { pages: pageCount, confidence: Math.round(confidence * 100) / 100, items }, doubts };
}

const bySource = (refs: readonly Reference[]) => [
  ...refs.filter((r) => r.source === 'outline'),
  ...refs.filter((r) => r.source === 'contents'),
];

/** The first title that is there and not cut short with an ellipsis, else the first at all. */
function pickTitle(titles: ReadonlyArray<string | undefined>): string {
  const present = titles.filter((t): t is string => Boolean(t));
  return present.find((t) => !/(\.{3}|…)$/.test(t)) ?? present[0] ?? '';
}

type MarkedReading = PageReading & { mark: PageMark };
const itemHeadings = (readings: readonly PageReading[], number: number) =>
  readings.filter((r): r is MarkedReading => r.mark?.kind === 'item' && r.mark.number === number);
const sameTitle = (mark: PageMark, title: string) => {
  const key = titleKey(title).slice(0, 30);
  return key.length >= 4 && titleKey(mark.title).startsWith(key);
};

function startsFromReferences(refs: readonly Reference[], readings: readonly PageReading[], doubts: Doubt[]): Start[] {
  const numbers = [...new Set(refs.map((r) => r.item))];
  const starts: Start[] = [];
  for (const number of numbers) {
    const own = bySource(refs.filter((r) => r.item === number && r.attachment === null));
    const attachments = bySource(refs.filter((r) => r.item === number && r.attachment !== null));
    const headings = itemHeadings(readings, number);
    const name = own[0]?.label ?? attachments[0]?.itemLabel ?? headings[0]?.mark.label ?? defaultItemLabel(number);
    const fromOutline = own.find((r) => r.source === 'outline' && r.page !== null)?.page;
    const fromContents = own.find((r) => r.source === 'contents' && r.page !== null)?.page;
    const fromAttachments = Math.min(
      ...attachments.flatMap((r) => (r.page === null ? [] : [r.page])),
      ...readings.filter((r) => r.mark?.kind === 'attachment' && r.mark.item === number).map((r) => r.page),
    );
    const firstPage = fromOutline ?? fromContents ?? headings[0]?.page ?? fromAttachments;
    if (!Number.isFinite(firstPage)) {
      doubts.push(doubt(DoubtKind.notFound, `${name} is listed but not found in the packet`));
      continue;
    }
    if (own.length > 0 && fromOutline === undefined && fromContents === undefined) {
      doubts.push(doubt(DoubtKind.notFound, `${name} is listed on a page the packet does not have; found by its heading instead`));
    }
    if (fromOutline !== undefined && fromContents !== undefined && fromOutline !== fromContents) {
      doubts.push(
        doubt(DoubtKind.sourcesDisagree, `the outline puts ${name} on page ${fromOutline}, the contents on page ${fromContents}`),
      );
    }
    const title = pickTitle(own.map((r) => r.title));
    const here = headings.find((h) => h.page === firstPage);
    if (fromOutline !== undefined || fromContents !== undefined) {
      // A page headed by the title alone is the item's heading too.
      const repeated = readings[firstPage - 1] !== undefined && repeatsTitle(readings[firstPage - 1] as PageReading, title);
      const rival = headings.find((h) => h.page !== firstPage && (setApart(h.mark) || sameTitle(h.mark, title)));
      if (!here && !repeated && rival) {
        doubts.push(
          doubt(DoubtKind.headingElsewhere, `${name} is listed on page ${firstPage}, but its heading stands on page ${rival.page}`),
        );
      }
    } else if (headings.length === 0) {
      doubts.push(doubt(DoubtKind.onlyThroughAttachments, `${name} is found only through its attachments; its first page may be a scan`));
    }
    // Only the heading on the item's own first page speaks for it: one further on may be a decoy.
    starts.push({
      number,
      title: pickTitle([title, here?.mark.title]),
      label: here?.mark.label ?? own.find((r) => r.source === 'contents')?.label ?? own[0]?.label ?? null,
      firstPage,
    });
  }
  starts.sort((a, b) => a.firstPage - b.firstPage || a.number - b.number);
  unlistedHeadings(readings, new Set(numbers), doubts);
  if (starts.some((s, i) => i > 0 && s.number <= (starts[i - 1] as Start).number)) {
    doubts.push(doubt(DoubtKind.outOfOrder, 'the items do not follow their numbers through the packet'));
  }
  return starts;
}

/**
 * Headings the references do not account for: an item heading set apart from the text, or an
 * attachment header naming an item, for an item the contents and the outline do not list (a
 * contents page not read to its end, an item added after it was printed). Headings in running
 * text (earlier minutes) are set like the text, and do not count.
 */
function unlistedHeadings(readings: readonly PageReading[], listed: ReadonlySet<number>, doubts: Doubt[]): void {
  for (const { page, mark } of readings) {
    if (!mark) continue;
    const item = mark.kind === 'item' ? mark.number : mark.item;
    if (item === null || listed.has(item)) continue;
    if (mark.kind === 'item' && (mark.strength !== 'keyword' || !setApart(mark))) continue;
    doubts.push(doubt(DoubtKind.unlistedHeading, `${mark.label} on page ${page} is not in the contents or the outline`));
    return;
  }
}

interface Candidate extends Start {
  weight: number;
  /** Read without a footnote digit, or implied by an attachment: not a heading of its own. */
  derived: 'unglued' | 'attachment' | null;
  mark: PageMark;
}

/** Weights of the evidence a page gives for an item starting on it. */
const Weight = {
  keywordHeading: 2,
  numberedHeading: 1,
  /** Bonus for a heading set larger than the page's body text. */
  setApart: 0.5,
  /** A number read without a footnote digit glued onto it ("Punkt 31:" read as 3). */
  unglued: 1,
  /** An attachment header naming an item that has no heading page (a scanned one, say). */
  impliedByAttachment: 1,
  /** Bonus for following the previous item's number by exactly one. */
  consecutive: 1,
} as const;

function candidatesOf(readings: readonly PageReading[]): Candidate[] {
  const keyword = readings.some((r) => r.mark?.kind === 'item' && r.mark.strength === 'keyword');
  const candidates: Candidate[] = [];
  for (const { page, mark } of readings) {
    if (!mark) continue;
    if (mark.kind === 'attachment') {
      if (mark.item !== null) {
        const base = { number: mark.item, title: '', label: mark.itemLabel, firstPage: page, mark };
        candidates.push({ ...base, weight: Weight.impliedByAttachment, derived: 'attachment' });
      }
      continue;
    }
    // A bare "3. Title" is an item heading only in a packet without keyword headings, and only when set apart.
    if (mark.strength === 'numbered' && (keyword || !setApart(mark))) continue;
    const weight = (mark.strength === 'keyword' ? Weight.keywordHeading : Weight.numberedHeading) + (setApart(mark) ? Weight.setApart : 0);
    candidates.push({ number: mark.number, title: mark.title, label: mark.label, firstPage: page, weight, derived: null, mark });
    if (mark.number >= 10) {
      const number = Math.floor(mark.number / 10);
      const label = mark.label.replace(/\d+(?=[.)]?$)/, String(number));
      candidates.push({ number, title: mark.title, label, firstPage: page, weight: Weight.unglued, derived: 'unglued', mark });
    }
  }
  return candidates;
}

/** The heaviest chain of candidates whose pages and numbers both rise (a longest-increasing-subsequence DP). */
function startsFromHeadings(readings: readonly PageReading[], doubts: Doubt[]): Start[] {
  const candidates = candidatesOf(readings);
  const score: number[] = [];
  const previous: number[] = [];
  for (const [i, c] of candidates.entries()) {
    score[i] = c.weight;
    previous[i] = -1;
    for (let j = 0; j < i; j++) {
      const p = candidates[j] as Candidate;
      if (p.firstPage >= c.firstPage || p.number >= c.number) continue;
      const total = (score[j] as number) + c.weight + (c.number === p.number + 1 ? Weight.consecutive : 0);
      if (total > (score[i] as number)) [score[i], previous[i]] = [total, j];
    }
  }
  let best = -1;
  for (let i = 0; i < candidates.length; i++) if (best < 0 || (score[i] as number) > (score[best] as number)) best = i;
  const chain: Candidate[] = [];
  for (let i = best; i >= 0; i = previous[i] as number) chain.unshift(candidates[i] as Candidate);
  if (chain.length > 0) doubtsOfChain(chain, candidates, doubts);
  return chain.map(({ number, title, label, firstPage }) => ({ number, title, label, firstPage }));
}

/** What a chain read from headings alone cannot confirm. */
function doubtsOfChain(chain: readonly Candidate[], candidates: readonly Candidate[], doubts: Doubt[]): void {
  doubts.push(doubt(DoubtKind.headingsOnly, 'no contents page or outline names the items: they are read from their headings'));
  if (chain.some((c) => c.mark.kind === 'item' && c.mark.strength === 'numbered')) {
    doubts.push(doubt(DoubtKind.bareNumbers, 'the items are bare numbers, and no contents page or outline confirms them'));
  }
  for (const [i, c] of chain.entries()) {
    const name = c.label ?? defaultItemLabel(c.number);
    if (c.derived === 'attachment') doubts.push(doubt(DoubtKind.onlyThroughAttachments, `${name} is found only through its attachments`));
    if (c.derived === 'unglued') doubts.push(doubt(DoubtKind.unglued, `${c.mark.label} is read as ${name}`));
    const before = chain[i - 1];
    if (before && c.number > before.number + 1) {
      doubts.push(doubt(DoubtKind.numberGap, `no heading between ${before.label ?? before.number} and ${name}`));
    }
  }
  const used = new Set(chain.map((c) => c.firstPage));
  for (const c of candidates) {
    if (c.derived !== null || used.has(c.firstPage) || !setApart(c.mark)) continue;
    doubts.push(doubt(DoubtKind.strayHeading, `the heading ${c.label} on page ${c.firstPage} does not fit the sequence of items`));
  }
}

interface FoundAttachment {
  number: number;
  refPage: number | null;
  headerPage: number | null;
  pageTitles: string[];
  refTitles: string[];
  headerLabel: string | null;
  refLabel: string | null;
}

/** Words all the titles start with: a running header read on several pages, without what followed it on each. */
function commonWords(titles: readonly string[]): string {
  const [first, ...rest] = titles.map((t) => t.split(' '));
  if (!first) return '';
  let n = first.length;
  for (const words of rest) {
    let k = 0;
    while (k < n && words[k] === first[k]) k++;
    n = k;
  }
  return first.slice(0, Math.max(n, 1)).join(' ');
}

type ItemRange = Pick<AgendaItem, 'number' | 'firstPage' | 'lastPage'>;

function attachmentsOf(item: ItemRange, refs: readonly Reference[], readings: readonly PageReading[], doubts: Doubt[]): AgendaAttachment[] {
  const found = new Map<number, FoundAttachment>();
  const entry = (number: number) => {
    let e = found.get(number);
    if (!e) {
      e = { number, refPage: null, headerPage: null, pageTitles: [], refTitles: [], headerLabel: null, refLabel: null };
      found.set(number, e);
    }
    return e;
  };
  const inItem = (page: number | null): page is number => page !== null && page >= item.firstPage && page <= item.lastPage;
  for (const ref of bySource(refs)) {
    if (ref.item !== item.number || ref.attachment === null) continue;
    const e = entry(ref.attachment);
    e.refTitles.push(ref.title);
    e.refLabel ??= ref.label;
    if (e.refPage === null && inItem(ref.page)) e.refPage = ref.page;
    else if (ref.page !== null && !inItem(ref.page)) {
      const reason = `${ref.label} is listed on page ${ref.page}, outside its item (pages ${item.firstPage}–${item.lastPage})`;
      doubts.push(doubt(DoubtKind.outsideItem, reason));
    }
  }
  let last = 0;
  for (const { page, mark } of readings) {
    if (!inItem(page) || mark?.kind !== 'attachment') continue;
    if (mark.item !== null && mark.item !== item.number) continue;
    // A header without the item number counts only in sequence: a list of a document's own "Bilag 1:, Bilag 2:" is not.
    if (mark.item === null && last !== 0 && mark.number !== last && mark.number !== last + 1) continue;
    const e = entry(mark.number);
    e.pageTitles.push(mark.title);
    e.headerPage ??= page;
    e.headerLabel ??= mark.label;
    last = mark.number;
  }
  const placed: Array<FoundAttachment & { firstPage: number }> = [];
  for (const e of found.values()) {
    const name = e.headerLabel ?? e.refLabel ?? defaultAttachmentLabel(e.number);
    const firstPage = e.refPage ?? e.headerPage;
    if (firstPage === null) {
      doubts.push(doubt(DoubtKind.notFound, `${name} is listed but not found in its item`));
      continue;
    }
    if (e.refPage !== null && e.headerPage !== null && e.headerPage < e.refPage) {
      doubts.push(
        doubt(DoubtKind.headerBeforeListed, `${name} is listed on page ${e.refPage}, but its header stands on page ${e.headerPage}`),
      );
    }
    const before = readings[firstPage - 2];
    if (e.refPage === null && before?.blank && before.page > item.firstPage) {
      doubts.push(doubt(DoubtKind.scanBeforeStart, `the page without text before ${name} (page ${before.page}) may be its first`));
    }
    placed.push({ ...e, firstPage });
  }
  placed.sort((a, b) => a.firstPage - b.firstPage || a.number - b.number);
  return placed.map((e, i) => {
    const next = placed[i + 1];
    return {
      number: e.number,
      label: e.headerLabel ?? e.refLabel ?? '',
      title: pickTitle([...e.refTitles, commonWords(e.pageTitles)]),
      firstPage: e.firstPage,
      lastPage: next ? Math.max(e.firstPage, next.firstPage - 1) : item.lastPage,
    };
  });
}

/** An example label with its number replaced: "Sag 3" → "Sag 5", "Bilag 3.2" → "Bilag 5.1", "Appendix B" → "Appendix A". */
function relabel(example: string, item: number, number: number): string {
  if (/\d+\.\d+$/.test(example)) return example.replace(/\d+\.\d+$/, `${item}.${number}`);
  if (/(?:^|\s)[A-Z]$/.test(example) && number >= 1 && number <= 26) return example.replace(/[A-Z]$/, String.fromCharCode(64 + number));
  return example.replace(/\d+(?=[.)]?$)/, String(number));
}

/** The item's label as an attachment header or entry writes it ("Punkt 3" in "Punkt 3, Bilag 2"). */
function writtenItemLabel(number: number, refs: readonly Reference[], readings: readonly PageReading[]): string | null {
  const fromRef = refs.find((r) => r.item === number && r.itemLabel !== null)?.itemLabel;
  if (fromRef) return fromRef;
  for (const { mark } of readings)
    if (mark?.kind === 'attachment' && mark.item === number && mark.itemLabel !== null) return mark.itemLabel;
  return null;
}

/**
 * Labels no source wrote (an item known only from its attachments, an attachment without a
 * header) follow the packet's own pattern: its other items' and attachments' labels, or the
 * item named in an attachment header; the usual words only when the packet gives no example.
 */
function fillLabels(items: AgendaItem[], refs: readonly Reference[], readings: readonly PageReading[]): void {
  const itemExample = items.find((i) => i.label !== '')?.label;
  const attachmentExample = items.flatMap((i) => i.attachments).find((a) => a.label !== '')?.label;
  for (const item of items) {
    if (item.label === '') {
      item.label =
        writtenItemLabel(item.number, refs, readings) ??
        (itemExample ? relabel(itemExample, item.number, item.number) : defaultItemLabel(item.number));
    }
    for (const a of item.attachments) {
      if (a.label === '')
        a.label = attachmentExample ? relabel(attachmentExample, item.number, a.number) : defaultAttachmentLabel(a.number);
    }
  }
}
