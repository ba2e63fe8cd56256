/**
 * Finds where a target's text is in a (possibly different) version of the packet.
 * Order: the stored position if the quote is still there with its surroundings, then the exact
 * quote (by context, then nearest the old position), then a fuzzy match (match-quote.ts);
 * otherwise orphaned. An orphan is better than a wrong anchor.
 */
import { type AgendaOutline, placeOfPage, trustedOutline } from '../agenda/outline.ts';
import { type AgendaRef, positionOf, quoteOf, type Target } from '../model/annotation.ts';
import { contextSimilarity } from './context-similarity.ts';
import { exactContextNeeded, matchQuote } from './match-quote.ts';
import { type PacketText, pageAtOffset, pageStart } from './page-text.ts';
import { buildWordIndex, type WordIndex } from './word-index.ts';

export const AnchorStatus = { anchored: 'anchored', fuzzy: 'fuzzy', orphaned: 'orphaned' } as const;
export type AnchorStatus = (typeof AnchorStatus)[keyof typeof AnchorStatus];

export type Anchor =
  | { status: 'anchored' | 'fuzzy'; start: number; end: number; page: number }
  | { status: 'orphaned'; start: null; end: null; page: null };

const ORPHAN: Anchor = { status: 'orphaned', start: null, end: null, page: null };

export type Anchorer = (target: Target) => Anchor;

export interface AnchorerOptions {
  /** The packet's agenda: a fuzzy match must then lie in the item and attachment the note was made in. */
  outline?: AgendaOutline;
}

const sameTitle = (a: AgendaRef | null | undefined, b: AgendaRef | null) =>
  (a?.title ?? '').trim().toLowerCase() === (b?.title ?? '').trim().toLowerCase();

/**
 * Whether the agenda place at `page` is the one the target was made in, compared by title (numbers
 * shift when a republished packet adds items). True when either side does not know its place.
 */
function samePlace(outline: AgendaOutline | undefined, target: Target, page: number): boolean {
  if (!outline || !target.agendaItem) return true;
  const place = placeOfPage(outline, page);
  if (!place.agendaItem) return false;
  return (
    sameTitle(target.agendaItem, place.agendaItem) && (target.attachment === undefined || sameTitle(target.attachment, place.attachment))
  );
}

/**
 * An anchorer for one packet text. Anchoring many targets through one anchorer shares the word
 * index, which is built the first time a quote is not at its stored position.
 */
export function createAnchorer(packet: PacketText, options: AnchorerOptions = {}): Anchorer {
  let index: WordIndex | null = null;
  const wordIndex = () => {
    index ??= buildWordIndex(packet.text);
    return index;
  };
  const found = (status: 'anchored' | 'fuzzy', start: number, end: number): Anchor => ({
    status,
    start,
    end,
    page: pageAtOffset(packet, start),
  });

  return (target) => {
    const quote = quoteOf(target);
    const position = positionOf(target);
    if (!quote) {
      // A page or region note: it belongs to its page as long as the page exists.
      if (target.page < 1 || target.page > packet.pages.length) return ORPHAN;
      const at = pageStart(packet, target.page);
      return found('anchored', at, at);
    }
    const { exact, prefix, suffix } = quote;
    if (position && packet.text.slice(position.start, position.end) === exact) {
      // The same words at the same offsets; in another version that can be chance for a short quote, so the surroundings must agree.
      const context = contextSimilarity(packet.text, position.start, position.end, prefix, suffix);
      if (context === null || context >= exactContextNeeded(exact)) return found('anchored', position.start, position.end);
    }
    const hint = position?.start ?? pageStart(packet, target.page);
    const match = matchQuote(packet.text, quote, {
      hint,
      index: wordIndex(),
      allowFuzzyAt: (start) => samePlace(trustedOutline(options.outline), target, pageAtOffset(packet, start)),
    });
    return match ? found(match.status, match.start, match.end) : ORPHAN;
  };
}

/** Anchors one target; to anchor many in one packet, use createAnchorer. */
export function anchorTarget(packet: PacketText, target: Target, options: AnchorerOptions = {}): Anchor {
  return createAnchorer(packet, options)(target);
}
