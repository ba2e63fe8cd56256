import type { Kysely } from 'kysely';
import type { Database, User } from '../storage/schema.ts';
import { userByAccessTokenHash, userBySignIn } from '../storage/sign-ins.ts';
import { userByTokenHash } from '../storage/tokens.ts';
import { familyOf, looksLikeAccessToken } from './oidc/session-tokens.ts';
import { hashToken, looksLikeToken } from './tokens.ts';

export type Authenticate = (token: string) => Promise<User | undefined>;

/** Administrators' tokens, and the access tokens of sign-ins (unexpired, of a sign-in that holds). */
export function tokenAuthenticator(db: Kysely<Database>, clock: () => Date = () => new Date()): Authenticate {
  return async (token) => {
    if (looksLikeToken(token)) return userByTokenHash(db, hashToken(token));
    if (looksLikeAccessToken(token)) return userByAccessTokenHash(db, hashToken(token), clock().toISOString());
    return undefined;
  };
}

/**
 * What an open socket re-checks of the token it opened with: for an access token, whether its
 * sign-in still holds (not logged out, revoked or ended, the user not disabled), not whether the
 * short-lived token itself has expired since; for other tokens the same as `tokenAuthenticator`.
 * Never used to let anything in: the token was authenticated when the socket opened.
 */
export function signInChecker(db: Kysely<Database>, clock: () => Date = () => new Date()): Authenticate {
  const authenticate = tokenAuthenticator(db, clock);
  return async (token) => {
    const family = looksLikeAccessToken(token) ? familyOf(token) : null;
    return family === null ? authenticate(token) : userBySignIn(db, family, clock().toISOString());
  };
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
