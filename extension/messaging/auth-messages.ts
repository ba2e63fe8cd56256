/**
 * The one vocabulary between the extension's pages (options, viewer, sidebar frame) and the
 * background about the sign-in through the organisation (docs/PROTOCOL.md, "Sign-in"). The
 * background alone holds the refresh token and alone refreshes: the server ends a sign-in whose
 * refresh token is used twice, so two pages refreshing at once would sign the user out. Pages ask
 * it for the current access token instead. Content scripts get no answer at all (auth/answer-auth.ts).
 */

export interface SignInUser {
  id: string;
  name: string;
}

/** Page → background (runtime.sendMessage); each has a reply (AuthReply). */
export type AuthRequest =
  /** The current access token for `serverUrl`; `rejected` is one the server just refused (401, 4401). */
  | { type: 'rn:auth-token'; serverUrl: string; rejected?: string }
  /** A sign-in the page has just brought back from the provider: its login code and PKCE verifier. */
  | { type: 'rn:auth-sign-in'; serverUrl: string; code: string; verifier: string }
  | { type: 'rn:auth-sign-out' }
  | { type: 'rn:auth-status' };

export type AccessReply =
  /** Use `token` until `refreshAt` (ms since the epoch, this machine's clock), then ask again. */
  | { kind: 'token'; token: string; refreshAt: number; user: SignInUser }
  /** Signed in, but the server could not be asked for a new token: offline for now. */
  | { kind: 'unreachable'; user: SignInUser }
  /** The server ended the sign-in (expired, signed out elsewhere, reused): sign in again. */
  | { kind: 'ended'; user: SignInUser }
  /** No sign-in for this server. */
  | { kind: 'signed-out' };

export type SignInStatus = { state: 'signed-out' } | { state: 'active' | 'ended'; serverUrl: string; user: SignInUser };

export type SignInResult = { ok: true; user: SignInUser } | { ok: false; error: string };

export interface AuthReply {
  'rn:auth-token': AccessReply;
  'rn:auth-sign-in': SignInResult;
  'rn:auth-sign-out': SignInStatus;
  'rn:auth-status': SignInStatus;
}

/** Background → pages when who is signed in changes (not on a routine refresh). Carries no token. */
export interface AuthChanged {
  type: 'rn:auth-changed';
}

export const AUTH_CHANGED: AuthChanged = { type: 'rn:auth-changed' };

const isString = (value: unknown): value is string => typeof value === 'string';

/** A well-formed request, field by field: anything else is not answered. */
export function isAuthRequest(message: unknown): message is AuthRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'rn:auth-token':
      return isString(m.serverUrl) && (m.rejected === undefined || isString(m.rejected));
    case 'rn:auth-sign-in':
      return isString(m.serverUrl) && isString(m.code) && isString(m.verifier);
    case 'rn:auth-sign-out':
    case 'rn:auth-status':
      return true;
    default:
      return false;
  }
}

export function isAuthChanged(message: unknown): message is AuthChanged {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === AUTH_CHANGED.type;
}
