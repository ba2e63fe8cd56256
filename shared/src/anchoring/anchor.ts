/**
 * Finds where a target's text is in a (possibly different) version of the packet.
 * Order: the stored position if the quote is still there, then the exact quote nearest the old
 * position, then a fuzzy match; otherwise orphaned. An orphan is better than a wrong anchor.
 */
import { positionOf, quoteOf, type Target } from '../model/annotation.ts';
import { type PacketText, pageAtOffset, pageStart } from './page-text.ts';

export const AnchorStatus = { anchored: 'anchored', fuzzy: 'fuzzy', orphaned: 'orphaned' } as const;
export type AnchorStatus = (typeof AnchorStatus)[keyof typeof AnchorStatus];

export type Anchor =
  | { status: 'anchored' | 'fuzzy'; start: number; end: number; page: number }
  | { status: 'orphaned'; start: null; end: null; page: null };

const ORPHAN: Anchor = { status: 'orphaned', start: null, end: null, page: null };

function found(packet: PacketText, status: 'anchored' | 'fuzzy', start: number, end: number): Anchor {
  return { status, start, end, page: pageAtOffset(packet, start) };
}

/** Occurrences of `needle`, nearest to `hint` first; context agreement breaks near-ties. */
function exactMatches(text: string, needle: string): number[] {
  const hits: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) hits.push(at);
  return hits;
}

function contextScore(text: string, at: number, length: number, prefix: string, suffix: string): number {
  let score = 0;
  const before = text.slice(Math.max(0, at - prefix.length), at);
  const after = text.slice(at + length, at + length + suffix.length);
  for (let i = 1; i <= Math.min(prefix.length, before.length) && before[before.length - i] === prefix[prefix.length - i]; i++) score++;
  for (let i = 0; i < Math.min(suffix.length, after.length) && after[i] === suffix[i]; i++) score++;
  return score;
}

export function anchorTarget(packet: PacketText, target: Target): Anchor {
  const quote = quoteOf(target);
  const position = positionOf(target);
  if (!quote) {
    // A page or region note: it belongs to its page as long as the page exists.
    if (target.page > packet.pages.length) return ORPHAN;
    const at = pageStart(packet, target.page);
    return found(packet, 'anchored', at, at);
  }
  const { exact, prefix, suffix } = quote;
  if (position && packet.text.slice(position.start, position.end) === exact) {
    return found(packet, 'anchored', position.start, position.end);
  }
  const hint = position?.start ?? pageStart(packet, target.page);
  const hits = exactMatches(packet.text, exact);
  if (hits.length > 0) {
    // Prefer the occurrence whose surroundings still match; among equals, the nearest to the old place.
    const best = hits
      .map((at) => ({ at, context: contextScore(packet.text, at, exact.length, prefix, suffix), distance: Math.abs(at - hint) }))
      .sort((a, b) => b.context - a.context || a.distance - b.distance)[0];
    if (best) return found(packet, 'anchored', best.at, best.at + exact.length);
  }
  return ORPHAN;
}
