/**
 * Why the server refuses a request, in the domain's words: the sync layer and the intents raise
 * a Refusal, and each edge says it its own way (app.ts as an HTTP status, the admin command as a
 * line of text). No HTTP status is decided below the edge.
 */
export const RefusalKind = {
  /** The request itself is wrong (a kind the room does not take, say). */
  invalid: 'invalid',
  /** Someone else's: only its author may do that. */
  forbidden: 'forbidden',
  notFound: 'notFound',
  /** The id is taken by another author. */
  conflict: 'conflict',
  /** A size cap or quota would be passed. */
  tooLarge: 'tooLarge',
  /** Not now: the room is being reset, unloaded or broke down, or the server is stopping. Try again. */
  unavailable: 'unavailable',
} as const;
export type RefusalKind = (typeof RefusalKind)[keyof typeof RefusalKind];

export class Refusal extends Error {
  readonly kind: RefusalKind;
  constructor(kind: RefusalKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
