/**
 * Why detection is not sure of an agenda. Each doubt caps the outline's confidence; the lowest
 * cap wins, so one item placed on weak evidence makes the whole structure a guess (a note filed
 * under a wrong item is a defect, an honest "guessed" is not). The reasons are for people: the
 * command line prints them.
 */
export interface Doubt {
  /** The most confidence the outline may have with this doubt (0 to 1). */
  confidence: number;
  reason: string;
}

export function confidenceOf(base: number, doubts: readonly Doubt[]): number {
  return Math.min(base, ...doubts.map((d) => d.confidence));
}
