/**
 * Agenda detection: from the packet's page text (and its PDF outline, when it has one) to the
 * agenda items and attachments with their pages. The rules, in order:
 *
 * 1. Read each page's head (read-page.ts): the heading it starts with, after the furniture.
 * 2. Read the packet's own account of itself: outline bookmarks and contents pages
 *    (agenda-references.ts). When these name agenda items, they decide which items exist, so a
 *    heading at the top of a page inside an attachment (earlier minutes) is not taken for one.
 * 3. Without them, items are the longest chain of page headings whose numbers rise with the
 *    pages; consecutive numbers and headings set larger than the body text count for more.
 * 4. An item runs to the page before the next item. Within it, attachments start where their
 *    running header (or a reference) first appears and run to the next attachment, so pages
 *    without text (scans) belong to the attachment around them.
 * Titles come from the outline, then the contents, then the pages themselves.
 */
import type { PageText } from '../anchoring/page-text.ts';
import { contentsReferences, outlineReferences, type PdfOutlineEntry, type Reference } from './agenda-references.ts';
import type { AgendaAttachment, AgendaItem, AgendaOutline } from './outline.ts';
import { findFurniture } from './page-furniture.ts';
import { type PageReading, readPage } from './read-page.ts';

export interface DetectAgendaOptions {
  /** The PDF outline with resolved pages, if the packet has one. */
  outline?: readonly PdfOutlineEntry[] | null;
}

interface Start {
  number: number;
  title: string;
  firstPage: number;
}

export function detectAgenda(pages: readonly PageText[], options: DetectAgendaOptions = {}): AgendaOutline {
  const pageCount = pages.length;
  const furniture = findFurniture(pages);
  const readings = pages.map((page) => readPage(page, furniture));
  const refs = [...outlineReferences(options.outline ?? [], pageCount), ...contentsReferences(readings, pageCount)];
  const starts = refs.some((r) => r.attachment === null) ? startsFromReferences(refs, readings) : startsFromHeadings(readings);
  const items: AgendaItem[] = starts.map((start, i) => {
    const next = starts[i + 1];
    const lastPage = next ? Math.max(start.firstPage, next.firstPage - 1) : pageCount;
    const item = { number: start.number, title: start.title, firstPage: start.firstPage, lastPage, attachments: [] };
    return { ...item, attachments: attachmentsOf(item, refs, readings) };
  });
  return { pages: pageCount, items };
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

function startsFromReferences(refs: readonly Reference[], readings: readonly PageReading[]): Start[] {
  const numbers = [...new Set(refs.map((r) => r.item))];
  const starts: Start[] = [];
  for (const number of numbers) {
    const own = bySource(refs.filter((r) => r.item === number && r.attachment === null));
    const attachments = bySource(refs.filter((r) => r.item === number && r.attachment !== null));
    const heading = readings.find((r) => r.mark?.kind === 'item' && r.mark.number === number);
    const header = readings.find((r) => r.mark?.kind === 'attachment' && r.mark.item === number);
    const firstPage =
      own.find((r) => r.page !== null)?.page ??
      heading?.page ??
      Math.min(...attachments.flatMap((r) => (r.page === null ? [] : [r.page])), header?.page ?? Number.POSITIVE_INFINITY);
    if (!Number.isFinite(firstPage)) continue;
    starts.push({ number, title: pickTitle([...own.map((r) => r.title), heading?.mark?.title]), firstPage });
  }
  return starts.sort((a, b) => a.firstPage - b.firstPage || a.number - b.number);
}

interface Candidate extends Start {
  weight: number;
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
      if (mark.item !== null) candidates.push({ number: mark.item, title: '', firstPage: page, weight: Weight.impliedByAttachment });
      continue;
    }
    const setApart = mark.size > 0 && mark.size > mark.bodySize + 0.5;
    // A bare "3. Title" is an item heading only in a packet without keyword headings, and only when set apart.
    if (mark.strength === 'numbered' && (keyword || !setApart)) continue;
    const weight = (mark.strength === 'keyword' ? Weight.keywordHeading : Weight.numberedHeading) + (setApart ? Weight.setApart : 0);
    candidates.push({ number: mark.number, title: mark.title, firstPage: page, weight });
    if (mark.number >= 10) {
      candidates.push({ number: Math.floor(mark.number / 10), title: mark.title, firstPage: page, weight: Weight.unglued });
    }
  }
  return candidates;
}

/** The heaviest chain of candidates whose pages and numbers both rise (a longest-increasing-subsequence DP). */
function startsFromHeadings(readings: readonly PageReading[]): Start[] {
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
  const chain: Start[] = [];
  for (let i = best; i >= 0; i = previous[i] as number) {
    const { number, title, firstPage } = candidates[i] as Candidate;
    chain.unshift({ number, title, firstPage });
  }
  return chain;
}

interface FoundAttachment {
  number: number;
  firstPage: number | null;
  pageTitles: string[];
  refTitles: string[];
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

function attachmentsOf(
  item: Omit<AgendaItem, 'attachments'>,
  refs: readonly Reference[],
  readings: readonly PageReading[],
): AgendaAttachment[] {
  const found = new Map<number, FoundAttachment>();
  const entry = (number: number) => {
    let e = found.get(number);
    if (!e) {
      e = { number, firstPage: null, pageTitles: [], refTitles: [] };
      found.set(number, e);
    }
    return e;
  };
  const inItem = (page: number | null): page is number => page !== null && page >= item.firstPage && page <= item.lastPage;
  for (const ref of bySource(refs)) {
    if (ref.item !== item.number || ref.attachment === null) continue;
    const e = entry(ref.attachment);
    e.refTitles.push(ref.title);
    if (e.firstPage === null && inItem(ref.page)) e.firstPage = ref.page;
  }
  let last = 0;
  for (const { page, mark } of readings) {
    if (!inItem(page) || mark?.kind !== 'attachment') continue;
    if (mark.item !== null && mark.item !== item.number) continue;
    // A header without the item number counts only in sequence: a list of a document's own "Bilag 1:, Bilag 2:" is not.
    if (mark.item === null && last !== 0 && mark.number !== last && mark.number !== last + 1) continue;
    const e = entry(mark.number);
    e.pageTitles.push(mark.title);
    e.firstPage ??= page;
    last = mark.number;
  }
  const placed = [...found.values()]
    .filter((e): e is FoundAttachment & { firstPage: number } => e.firstPage !== null)
    .sort((a, b) => a.firstPage - b.firstPage || a.number - b.number);
  return placed.map((e, i) => {
    const next = placed[i + 1];
    return {
      number: e.number,
      title: pickTitle([...e.refTitles, commonWords(e.pageTitles)]),
      firstPage: e.firstPage,
      lastPage: next ? Math.max(e.firstPage, next.firstPage - 1) : item.lastPage,
    };
  });
}
