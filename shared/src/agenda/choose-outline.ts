/**
 * Which agenda a view shows and groups by (docs/AGENDA.md, "Corrections"): the user's own
 * correction, then a group's, then what detection found when it is sure, then the structure of
 * the HTML agenda page that links the PDF (when it could be placed on the PDF's pages), then
 * detection's guess. A correction made on another version of the packet is passed over: its
 * pages are not this version's.
 */
import type { Author } from '../model/annotation.ts';
import { correctionAppliesTo, correctionToOutline, type StoredCorrection } from './correction.ts';
import { type AgendaOutline, isGuessed } from './outline.ts';

export type AgendaSource =
  | { kind: 'own'; at: string }
  | { kind: 'group'; groupId: string; by: Author | null; at: string }
  | { kind: 'detected' }
  | { kind: 'page'; pageUrl: string };

export interface ChosenAgenda {
  outline: AgendaOutline;
  source: AgendaSource;
}

export interface AgendaCandidates {
  /** The packet version shown (`urn:x-pdf:<fingerprint>`) and its page count; null when not known (a server export). */
  version: string | null;
  pages: number | null;
  /** What detection found (undefined: nothing known, e.g. a server export for a packet the caller never opened). */
  detected: AgendaOutline | undefined;
  own: StoredCorrection | null;
  /** The groups' corrections, the preferred group first (see preferredGroups). */
  groups: ReadonlyArray<{ groupId: string; correction: StoredCorrection | null }>;
  /** The HTML agenda page's structure placed on this PDF's pages (html-agenda-pages.ts), if any. */
  fromPage?: { outline: AgendaOutline; pageUrl: string } | null;
}

const EMPTY: AgendaOutline = { pages: 0, items: [], confidence: 1 };

export function chooseAgenda(candidates: AgendaCandidates): ChosenAgenda {
  const packet = { version: candidates.version, pages: candidates.pages };
  const pagesOf = (c: StoredCorrection) => candidates.pages ?? c.pages ?? Math.max(...c.items.map((i) => i.firstPage));
  const own = candidates.own;
  if (own && correctionAppliesTo(own, packet))
    return { outline: correctionToOutline(own, pagesOf(own)), source: { kind: 'own', at: own.at } };
  for (const { groupId, correction } of candidates.groups) {
    if (correction && correctionAppliesTo(correction, packet)) {
      return {
        outline: correctionToOutline(correction, pagesOf(correction)),
        source: { kind: 'group', groupId, by: correction.by, at: correction.at },
      };
    }
  }
  const detected = candidates.detected;
  const unsure = detected === undefined || detected.items.length === 0 || isGuessed(detected);
  if (unsure && candidates.fromPage)
    return { outline: candidates.fromPage.outline, source: { kind: 'page', pageUrl: candidates.fromPage.pageUrl } };
  return { outline: detected ?? { ...EMPTY, pages: candidates.pages ?? 0 }, source: { kind: 'detected' } };
}

/** The order group corrections are weighed in: the user's default group, then their groups as listed. */
export function preferredGroups<G extends { id: string }>(groups: readonly G[], defaultGroup: string | null): G[] {
  const preferred = groups.find((g) => g.id === defaultGroup);
  return preferred ? [preferred, ...groups.filter((g) => g !== preferred)] : [...groups];
}
