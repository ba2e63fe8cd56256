/**
 * Finds a TextQuoteSelector in a text that may have changed since the quote was taken.
 *
 * 1. Exact: every occurrence of the quote, judged by how well its surroundings agree with the
 *    stored prefix and suffix, then by distance from where it used to be. An occurrence whose
 *    surroundings disagree is not trusted on its own (the same sentence often stands in two
 *    attachments); the fuzzy step weighs it against edited versions of the quote. So is one far
 *    from the old place or with changed surroundings: an edited version where the quote used to
 *    be may be the right one.
 * 2. Fuzzy: words of the prefix, quote and suffix vote for regions where the quote may now be;
 *    each region is searched with an approximate matcher (Myers' bit-parallel algorithm, via
 *    approx-string-match), and candidates are weighed by quote, prefix and suffix similarity
 *    and distance. A fuzzy match is returned only when it is good and clearly better than the
 *    next one; otherwise nothing: an orphan is better than a wrong anchor.
 */
import search from 'approx-string-match';
import type { TextQuoteSelector } from '../model/annotation.ts';
import { contextSimilarity } from './context-similarity.ts';
import { innerWords, type WordIndex } from './word-index.ts';

export type QuoteMatch = { status: 'anchored' | 'fuzzy'; start: number; end: number };

/** Thresholds of the matcher; each is a similarity between 0 and 1. */
export const MatchRules = {
  /** An exact occurrence is trusted when its surroundings agree at least this well... */
  exactContext: 0.5,
  /** ...and this much better than the next occurrence's (else the nearest of the best wins). */
  exactMargin: 0.1,
  /** Most errors a fuzzy match may have, as a share of the quote's length. */
  maxQuoteErrors: 0.2,
  /** Quote and context together must agree at least this well for a fuzzy match. */
  fuzzyEvidence: 0.85,
  /** The surroundings alone must agree at least this well for a fuzzy match. */
  fuzzyContext: 0.6,
  /** A rival candidate elsewhere within this much evidence makes the match ambiguous. */
  fuzzyMargin: 0.08,
  /** A quote shorter than this is too little text to place without near-perfect context. */
  shortQuote: 12,
  shortQuoteContext: 0.85,
  /** An exact occurrence this close to the old place (a few pages), with surroundings this similar, is taken without looking for edited versions. */
  nearby: 10_000,
  sureContext: 0.9,
  /** Evidence a fuzzy candidate loses for standing far from the old place, at most... */
  distancePenalty: 0.1,
  /** ...reached this many characters (some 50 pages) away. */
  farAway: 100_000,
  /** Words found more often than this are too common to say where a quote is. */
  maxWordHits: 400,
  /** Regions (by votes) searched approximately per quote. */
  maxRegions: 6,
} as const;

interface Scored {
  start: number;
  end: number;
  quote: number;
  context: number | null;
  evidence: number;
  distance: number;
}

const overlaps = (a: Scored, b: Scored) => a.start < b.end && b.start < a.end;

function exactOccurrences(text: string, exact: string, index: WordIndex): number[] {
  const words = innerWords(exact);
  if (words.length === 0) {
    const hits: number[] = [];
    for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) hits.push(at);
    return hits;
  }
  // Every occurrence contains each inner word as a whole word: check the rarest one's places.
  let rarest = words[0] as (typeof words)[number];
  for (const w of words) if (index.positions(w.word).length < index.positions(rarest.word).length) rarest = w;
  const hits: number[] = [];
  for (const at of index.positions(rarest.word)) {
    const start = at - rarest.offset;
    if (start >= 0 && text.startsWith(exact, start)) hits.push(start);
  }
  return hits;
}

function score(text: string, quote: TextQuoteSelector, start: number, end: number, errors: number, hint: number): Scored {
  const q = 1 - errors / quote.exact.length;
  const context = contextSimilarity(text, start, end, quote.prefix, quote.suffix);
  const contextLength = quote.prefix.length + quote.suffix.length;
  const evidence = (q * quote.exact.length + (context ?? 0) * contextLength) / (quote.exact.length + contextLength);
  return { start, end, quote: q, context, evidence, distance: Math.abs(start - hint) };
}

const byContextThenDistance = (a: Scored, b: Scored) => (b.context ?? 0) - (a.context ?? 0) || a.distance - b.distance;

/** How well the surroundings of an exact occurrence must agree: more for a few letters, which occur by chance. */
export function exactContextNeeded(exact: string): number {
  return exact.length < MatchRules.shortQuote ? MatchRules.shortQuoteContext : MatchRules.exactContext;
}

/** The exact occurrence to trust, or null when none is clearly the quote's place. */
function pickExact(candidates: Scored[], exact: string): Scored | null {
  const [best, next] = [...candidates].sort(byContextThenDistance);
  if (!best) return null;
  // Without stored context there is nothing to weigh: the occurrence nearest the old place.
  if (best.context === null) return [...candidates].sort((a, b) => a.distance - b.distance)[0] ?? null;
  if (best.context < exactContextNeeded(exact)) return null;
  if (!next || (next.context ?? 0) <= best.context - MatchRules.exactMargin) return best;
  // Surroundings about as good (a repeated passage, page furniture): the one nearest the old place.
  const rivals = candidates.filter((c) => (c.context ?? 0) > (best.context ?? 0) - MatchRules.exactMargin);
  return rivals.sort((a, b) => a.distance - b.distance)[0] ?? null;
}

/** Diagonals (where the quote would start) voted for by the inner words of prefix, quote and suffix. */
function candidateRegions(quote: TextQuoteSelector, index: WordIndex, tolerance: number, hint: number): number[] {
  const whole = quote.prefix + quote.exact + quote.suffix;
  const votes: Array<{ at: number; word: number }> = [];
  for (const [n, w] of innerWords(whole).entries()) {
    const hits = index.positions(w.word);
    if (hits.length > MatchRules.maxWordHits) continue;
    for (const at of hits) votes.push({ at: at - (w.offset - quote.prefix.length), word: n });
  }
  votes.sort((a, b) => a.at - b.at);
  // Sweep: a region is a run of diagonals within `tolerance`; its weight is how many different words voted.
  const regions: Array<{ at: number; weight: number }> = [];
  let from = 0;
  while (from < votes.length) {
    let to = from;
    const words = new Set<number>();
    while (to < votes.length && (votes[to] as { at: number }).at - (votes[from] as { at: number }).at <= tolerance) {
      words.add((votes[to] as { word: number }).word);
      to++;
    }
    regions.push({ at: (votes[from] as { at: number }).at, weight: words.size });
    from = to;
  }
  // The most voted regions, nearer the old place first among equals, and the best one near the old place in any case.
  const voted = regions.filter((r) => r.weight >= 2).sort((a, b) => b.weight - a.weight || Math.abs(a.at - hint) - Math.abs(b.at - hint));
  const chosen = voted.slice(0, MatchRules.maxRegions);
  const near = voted.find((r) => Math.abs(r.at - hint) <= MatchRules.nearby);
  if (near && !chosen.includes(near)) chosen.push(near);
  return chosen.map((r) => r.at);
}

function fuzzyCandidates(text: string, quote: TextQuoteSelector, index: WordIndex, hint: number): Scored[] {
  const length = quote.exact.length;
  const maxErrors = Math.floor(length * MatchRules.maxQuoteErrors);
  const tolerance = Math.max(16, maxErrors * 2);
  const found: Scored[] = [];
  for (const at of candidateRegions(quote, index, tolerance, hint)) {
    const from = Math.max(0, at - maxErrors - 16);
    const window = text.slice(from, at + tolerance + length + maxErrors + 16);
    const matches = search(window, quote.exact, maxErrors);
    const fewest = Math.min(...matches.map((m) => m.errors));
    // Of the equally good ends, the one closest to where the words put the quote.
    const best = matches
      .filter((m) => m.errors === fewest)
      .sort((a, b) => Math.abs(a.start + from - at) - Math.abs(b.start + from - at))[0];
    if (best) found.push(score(text, quote, from + best.start, from + best.end, best.errors, hint));
  }
  return found;
}

/** A candidate far from the old place is less likely: a republished packet shifts text by pages, not by volumes. */
const rank = (c: Scored) => c.evidence - MatchRules.distancePenalty * Math.min(1, c.distance / MatchRules.farAway);

/** Good enough to be the quote's place if nothing rivals it. */
function plausible(c: Scored, quote: TextQuoteSelector): boolean {
  const needed = quote.exact.length < MatchRules.shortQuote ? MatchRules.shortQuoteContext : MatchRules.fuzzyContext;
  return c.quote >= 1 - MatchRules.maxQuoteErrors && c.evidence >= MatchRules.fuzzyEvidence && (c.context ?? 0) >= needed;
}

/** The fuzzy candidate to trust, or null when none is good enough or two are too alike. */
function pickFuzzy(candidates: Scored[], quote: TextQuoteSelector): Scored | null {
  const sorted = [...candidates].sort((a, b) => rank(b) - rank(a));
  const best = sorted[0];
  if (!best || !plausible(best, quote)) return null;
  const rival = sorted.find((c) => !overlaps(c, best));
  if (rival && rank(rival) > rank(best) - MatchRules.fuzzyMargin) return null;
  return best;
}

export interface MatchQuoteOptions {
  /** Where the quote used to start. */
  hint: number;
  index: WordIndex;
  /**
   * Whether a fuzzy match may stand at this offset (e.g. in the agenda item the note was made
   * in). A near-twin of a deleted passage elsewhere in the packet is otherwise indistinguishable
   * from an edited version of it.
   */
  allowFuzzyAt?: (start: number) => boolean;
}

/** Where the quote is in `text`, or null. */
export function matchQuote(text: string, quote: TextQuoteSelector, options: MatchQuoteOptions): QuoteMatch | null {
  const { exact } = quote;
  const { hint, index, allowFuzzyAt = () => true } = options;
  if (exact.length === 0) return null;
  const exactCandidates = exactOccurrences(text, exact, index).map((at) => score(text, quote, at, at + exact.length, 0, hint));
  const trusted = pickExact(exactCandidates, exact);
  if (trusted && trusted.distance <= MatchRules.nearby && (trusted.context ?? 1) >= MatchRules.sureContext) {
    return { status: 'anchored', start: trusted.start, end: trusted.end };
  }
  const candidates = [...exactCandidates, ...fuzzyCandidates(text, quote, index, hint)].filter((c) => allowFuzzyAt(c.start));
  const fuzzy = pickFuzzy(candidates, quote);
  if (trusted) {
    // The words are verbatim, but far away or in changed surroundings. Boilerplate repeats, so an edited version where
    // they used to be may be the right place: it wins when clearly better with distance weighed in; when the two are
    // too alike, neither does.
    if (fuzzy && !overlaps(fuzzy, trusted)) return { status: 'fuzzy', start: fuzzy.start, end: fuzzy.end };
    const rivalEdit = !fuzzy && candidates.some((c) => c.quote < 1 && !overlaps(c, trusted) && plausible(c, quote));
    return rivalEdit ? null : { status: 'anchored', start: trusted.start, end: trusted.end };
  }
  return fuzzy ? { status: 'fuzzy', start: fuzzy.start, end: fuzzy.end } : null;
}
