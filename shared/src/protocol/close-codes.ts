/**
 * WebSocket close codes the server uses (documented in docs/PROTOCOL.md).
 * 1xxx are standard; 4xxx mirror the HTTP status they correspond to.
 */
export const CloseCode = {
  normal: 1000,
  /** Server shutting down; reconnect later. */
  goingAway: 1001,
  /** A frame larger than the configured maximum. */
  messageTooBig: 1009,
  internalError: 1011,
  /** The room was reset by an administrator; reconnect to find it empty. */
  serviceRestart: 1012,
  /** Malformed frame or Yjs/awareness payload. */
  badMessage: 4400,
  /** Missing, revoked or unknown token. */
  unauthorized: 4401,
  /** No such room, or not a member (existence is not revealed). */
  notFound: 4404,
  /** The client did not authenticate in time. */
  authTimeout: 4408,
  /** The room's document reached its size cap; further writes are refused. */
  documentTooLarge: 4413,
  /**
   * Too many messages (slowed by backpressure first, closed only if it continues), a client that
   * does not read what it is sent, or too many open sockets for one user.
   */
  rateLimited: 4429,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
