/**
 * Finds a page or region note's page in another version of the packet by what the page was (its
 * text or, for a scan, its image; page-fingerprint.ts), not by its number, which shifts when a
 * republished packet adds pages. Unsure means orphaned: the note is then listed to check, never
 * shown on a page that might be another one (docs/AGENDA.md, "Page identity").
 */
import type { PageIdentity, PagePrint } from '../model/annotation.ts';
import type { PacketText } from '../text/page-text.ts';
import { FINGERPRINT_BITS, type Hash64, hammingDistance, textFingerprint } from './page-fingerprint.ts';

/** The fingerprints of one version's pages (index 0 is page 1), null where a page has none of that kind. */
export interface PacketPrints {
  text: ReadonlyArray<Hash64 | null>;
  /**
   * Image prints of the pages without text prints. Absent where pages cannot be rendered (the
   * command line) or have not been yet: image identities then cannot be found.
   */
  image?: ReadonlyArray<Hash64 | null>;
}

export type PrintKind = 'text' | 'image';

/**
 * How far a print may be from the note's and still be its page, in bits of 64. Text prints are
 * exact for the same words (digits aside); an edit moves a few bits. Image prints of one page
 * differ by renderer: up to 6 bits measured between Chromium and Firefox on dense text pages, 0
 * on scans, 2 after re-encoding a scan as JPEG (docs/AGENDA.md).
 */
export const PAGE_MATCH: Record<PrintKind, { same: number; near: number }> = {
  text: { same: 0, near: 10 },
  image: { same: 3, near: 8 },
};
/** The best page must be this many bits nearer than the next best, or the answer is a guess. */
const PAGE_MATCH_GAP = 3;

export type PageMatch = { status: 'anchored' | 'fuzzy'; page: number } | { status: 'orphaned'; page: null };

const ORPHAN: PageMatch = { status: 'orphaned', page: null };

/** Text prints of every page (null for pages with too few words). */
export function textPrintsOf(packet: PacketText): Array<Hash64 | null> {
  return packet.pages.map((p) => textFingerprint(p.text));
}

/** The distance from `hash` to the nearest other print in `prints` (64 when there is none). */
function nearestOther(prints: ReadonlyArray<Hash64 | null>, page: number, hash: Hash64): number {
  let nearest = FINGERPRINT_BITS;
  for (const [i, other] of prints.entries())
    if (other !== null && i !== page - 1) nearest = Math.min(nearest, hammingDistance(hash, other));
  return nearest;
}

/** What a page is, for a note put on it now; undefined when it has neither print (images not rendered). */
export function identifyPage(prints: PacketPrints, page: number): PageIdentity | undefined {
  const identity: PageIdentity = {};
  for (const kind of ['text', 'image'] as const) {
    const all = prints[kind];
    const hash = all?.[page - 1];
    if (all && hash) identity[kind] = { hash, nearest: nearestOther(all, page, hash) };
  }
  return identity.text || identity.image ? identity : undefined;
}

/**
 * The page in this version whose print matches the note's: the nearest within PAGE_MATCH, and
 * clearly the nearest (PAGE_MATCH_GAP), and nearer than half the distance to the page's own
 * nearest neighbour when the note was made (else the neighbour, had the page itself gone, could
 * pass for it). `allowed` keeps the search inside the note's agenda place.
 */
export function findPage(identity: PageIdentity, prints: PacketPrints, allowed: (page: number) => boolean = () => true): PageMatch {
  const kind: PrintKind | null = identity.image && prints.image ? 'image' : identity.text ? 'text' : null;
  const own: PagePrint | undefined = kind ? identity[kind] : undefined;
  const candidates = kind ? prints[kind] : undefined;
  if (!kind || !own || !candidates) return ORPHAN;
  let best = { page: 0, distance: Number.POSITIVE_INFINITY };
  let second = Number.POSITIVE_INFINITY;
  for (const [i, hash] of candidates.entries()) {
    if (hash === null || !allowed(i + 1)) continue;
    const distance = hammingDistance(own.hash, hash);
    if (distance < best.distance) {
      second = best.distance;
      best = { page: i + 1, distance };
    } else if (distance < second) second = distance;
  }
  const limits = PAGE_MATCH[kind];
  const clear = second - best.distance >= PAGE_MATCH_GAP && 2 * best.distance < own.nearest;
  if (best.distance > limits.near || !clear) return ORPHAN;
  return { status: best.distance <= limits.same ? 'anchored' : 'fuzzy', page: best.page };
}
