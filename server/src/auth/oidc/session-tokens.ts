/**
 * The tokens a sign-in gives out. Like administrators' tokens (../tokens.ts) they are random,
 * shown once and stored only as their sha256; unlike them they name their sign-in (refresh-token
 * family), so that a refresh token used a second time ends the sign-in it belongs to, and an open
 * socket can ask whether its sign-in still holds after its access token has expired.
 *
 *   access token   rna_<family id: 22><secret: 43>     (base64url; 128 + 256 random bits)
 *   refresh token  rnr_<family id: 22><secret: 43>
 *   login code     <secret: 43>
 */
import { randomBytes } from 'node:crypto';

const FAMILY_ID_LENGTH = 22;
const ACCESS_PATTERN = /^rna_[A-Za-z0-9_-]{65}$/;
const REFRESH_PATTERN = /^rnr_[A-Za-z0-9_-]{65}$/;
const LOGIN_CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const secret = () => randomBytes(32).toString('base64url');

export function newFamilyId(): string {
  return randomBytes(16).toString('base64url');
}

export function newAccessToken(familyId: string): string {
  return `rna_${familyId}${secret()}`;
}

export function newRefreshToken(familyId: string): string {
  return `rnr_${familyId}${secret()}`;
}

export function newLoginCode(): string {
  return secret();
}

export function looksLikeAccessToken(value: string): boolean {
  return ACCESS_PATTERN.test(value);
}

export function looksLikeLoginCode(value: string): boolean {
  return LOGIN_CODE_PATTERN.test(value);
}

/** The sign-in an access or refresh token names, or null when the value is neither. */
export function familyOf(token: string): string | null {
  return ACCESS_PATTERN.test(token) || REFRESH_PATTERN.test(token) ? token.slice(4, 4 + FAMILY_ID_LENGTH) : null;
}

/** The sign-in a refresh token names, or null when the value is not one. */
export function refreshFamilyOf(token: string): string | null {
  return REFRESH_PATTERN.test(token) ? token.slice(4, 4 + FAMILY_ID_LENGTH) : null;
}
