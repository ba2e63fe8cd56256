/**
 * Finds where a target's text is in a (possibly different) version of the packet.
 * Order: the stored position if the quote is still there with its surroundings, then the exact
 * quote (by context, then nearest the old position), then a fuzzy match (match-quote.ts);
 * otherwise orphaned. A page or region note from another version finds its page by the page's
 * identity (page-identity.ts). An orphan is better than a wrong anchor.
 */
import { type AgendaOutline, placeOfPage, trustedOutline } from '../agenda/outline.ts';
import { type AgendaRef, placeIn, positionOf, quoteOf, type Target } from '../model/annotation.ts';
import { type PacketText, pageAtOffset, pageStart } from '../text/page-text.ts';
import { contextSimilarity } from './context-similarity.ts';
import { exactContextNeeded, matchQuote } from './match-quote.ts';
import type { Hash64 } from './page-fingerprint.ts';
import { findPage, textPrintsOf } from './page-identity.ts';
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
  /**
   * The version anchored in (`urn:x-pdf:<fingerprint>`): a note re-attached in it is anchored at
   * its place there, and a page or region note made on it stays on its page.
   */
  version?: string;
  /**
   * Image prints of the pages without text (index 0 is page 1), once rendered; undefined where
   * pages cannot be rendered (the command line): a scan's note from another version is then orphaned.
   */
  images?: () => ReadonlyArray<Hash64 | null> | undefined;
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
  let textPrints: ReturnType<typeof textPrintsOf> | null = null;
  const found = (status: 'anchored' | 'fuzzy', start: number, end: number): Anchor => ({
    status,
    start,
    end,
    page: pageAtOffset(packet, start),
  });
  const onPage = (status: 'anchored' | 'fuzzy', page: number): Anchor => {
    const at = pageStart(packet, page);
    return { status, start: at, end: at, page };
  };

  /** A note on a whole page or a rectangle of it: its page by identity, or (made here, or before identities) by number. */
  const anchorPage = (target: Target): Anchor => {
    const madeHere = target.packetVersion !== undefined && target.packetVersion === options.version;
    if (madeHere || !target.pageIdentity) {
      return target.page >= 1 && target.page <= packet.pages.length ? onPage('anchored', target.page) : ORPHAN;
    }
    textPrints ??= textPrintsOf(packet);
    const images = options.images?.();
    const outline = trustedOutline(options.outline);
    const match = findPage(target.pageIdentity, { text: textPrints, ...(images ? { image: images } : {}) }, (page) =>
      samePlace(outline, target, page),
    );
    return match.page === null ? ORPHAN : onPage(match.status, match.page);
  };

  return (given) => {
    const target = placeIn(given, options.version);
    const quote = quoteOf(target);
    const position = positionOf(target);
    if (!quote) return anchorPage(target);
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
