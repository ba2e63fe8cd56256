/** What a card in the Overblik shows: the annotator's view model makes them, overview.ts draws them. */
import type { Anchor } from '@randnoter/shared/anchoring/anchor';
import type { Annotation } from '@randnoter/shared/model/annotation';

export interface Card {
  /** The annotation as this version shows it: its target is its place here (placeIn). */
  annotation: Annotation;
  status: Anchor['status'];
  page: number;
  /** Set for shared comments. */
  groupName: string | null;
  pending: boolean;
  mine: boolean;
  /** Whom a shared comment mentions, by the names known (an id whose name is unknown is left out). */
  mentions: Array<{ id: string; name: string }>;
  /** The signed-in user is among them: the card highlights their name. */
  mentionsMe: boolean;
  replies: Card[];
}
