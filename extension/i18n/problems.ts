/**
 * What went wrong, in the user's terms: every failure a user can meet (a server's HTTP status or
 * close code, a network failure, an address that is not a Randnoter server) is one of these, and
 * each has one sentence in messages.ts (`problem`) that says what to do. The server's own reason
 * (English, for administrators) and exception messages never reach the UI.
 */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';

export const Problem = {
  /** No answer at all: wrong address, server down, or no network. */
  unreachable: 'unreachable',
  /** An answer, but not a Randnoter server's (an HTML page at the address). */
  notRandnoter: 'notRandnoter',
  /** Missing, unknown, revoked or expired token. */
  token: 'token',
  /** No such room, or not a member (the server does not say which). */
  noAccess: 'noAccess',
  /** The server could not use what was sent. */
  invalid: 'invalid',
  /** It changed meanwhile (409). */
  conflict: 'conflict',
  /** Too big: a comment, or a room at its size cap. */
  tooLarge: 'tooLarge',
  /** Too much at once (429). */
  busy: 'busy',
  /** The server failed (5xx, 1011). */
  serverError: 'serverError',
  unknown: 'unknown',
} as const;
export type Problem = (typeof Problem)[keyof typeof Problem];

/** An HTTP status; 0 is a request that got no answer. */
export function problemOfStatus(status: number): Problem {
  if (status === 0) return Problem.unreachable;
  if (status === 401) return Problem.token;
  if (status === 403 || status === 404) return Problem.noAccess;
  if (status === 409) return Problem.conflict;
  if (status === 413) return Problem.tooLarge;
  if (status === 429) return Problem.busy;
  if (status >= 500) return Problem.serverError;
  if (status >= 400) return Problem.invalid;
  return Problem.unknown;
}

/** A WebSocket close code (shared/protocol/close-codes.ts). */
export function problemOfClose(code: number): Problem {
  switch (code) {
    case CloseCode.unauthorized:
    case CloseCode.authTimeout:
      return Problem.token;
    case CloseCode.notFound:
      return Problem.noAccess;
    case CloseCode.messageTooBig:
    case CloseCode.documentTooLarge:
      return Problem.tooLarge;
    case CloseCode.rateLimited:
      return Problem.busy;
    case CloseCode.badMessage:
      return Problem.invalid;
    case CloseCode.internalError:
      return Problem.serverError;
    default:
      return Problem.unknown;
  }
}

/**
 * Anything thrown by a call to the server: an error with the HTTP `status` (0: no answer) and
 * `foreign` when the answer was not a Randnoter server's; a fetch that failed (TypeError) is no
 * answer. Anything else is unknown.
 */
export function problemOf(error: unknown): Problem {
  if (error instanceof TypeError) return Problem.unreachable;
  const { status, foreign } = (error ?? {}) as { status?: unknown; foreign?: unknown };
  if (typeof status !== 'number') return Problem.unknown;
  if (status === 0 || status >= 500) return problemOfStatus(status);
  return foreign === true ? Problem.notRandnoter : problemOfStatus(status);
}
