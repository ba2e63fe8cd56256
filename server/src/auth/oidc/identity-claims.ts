/**
 * Who signed in, read from an ID token's claims that openid-client has already validated
 * (signature, issuer, audience, nonce, expiry): the stable key (issuer + subject), the name and
 * e-mail to show, and the groups the provider says the user is in.
 */
import { fail, ok, type Result } from '@randnoter/shared/model/result';
import type { OidcIdentity } from '../../storage/sign-ins.ts';

/** More group values than this (Entra ID sends at most 200 in a token) are not trusted to be the whole list. */
export const MAX_GROUP_VALUES = 1_000;
/** Longer values cannot name a group (`--oidc-group` takes at most this many characters). */
export const MAX_GROUP_VALUE_LENGTH = 256;
const MAX_NAME_LENGTH = 200;
const MAX_SUBJECT_LENGTH = 255;
const MAX_EMAIL_LENGTH = 320;

export interface SignedIn {
  identity: OidcIdentity;
  /**
   * The groups claim's values, or null when the token does not hold the whole list (Entra ID's
   * "overage": `_claim_names` points elsewhere, or an implausibly long list): memberships then stay as they are.
   */
  groups: string[] | null;
}

export interface ClaimNames {
  subjectClaim: string;
  groupsClaim: string;
}

/** Control characters out, whitespace collapsed, at most `max` characters; '' when nothing is left. */
function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

function nameOf(claims: Record<string, unknown>): string {
  const given = [cleanText(claims.given_name, MAX_NAME_LENGTH), cleanText(claims.family_name, MAX_NAME_LENGTH)].filter(Boolean).join(' ');
  for (const candidate of [claims.name, given, claims.preferred_username, claims.email]) {
    const name = cleanText(candidate, MAX_NAME_LENGTH);
    if (name) return name;
  }
  return '';
}

function groupsOf(claims: Record<string, unknown>, claim: string): string[] | null {
  const names = claims._claim_names;
  if (names && typeof names === 'object' && Object.hasOwn(names, claim)) return null;
  const value = claims[claim];
  if (value === undefined || value === null) return [];
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (values === null || values.length > MAX_GROUP_VALUES) return null;
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_GROUP_VALUE_LENGTH))];
}

export function signedInFrom(claims: Record<string, unknown>, names: ClaimNames): Result<SignedIn> {
  const issuer = claims.iss;
  const subject = claims[names.subjectClaim];
  if (typeof issuer !== 'string' || issuer.length === 0) return fail('the ID token names no issuer');
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH)
    return fail(`the ID token has no usable "${names.subjectClaim}" claim`);
  const name = nameOf(claims);
  if (!name) return fail('the ID token names no user (name, given_name, preferred_username or email)');
  const email = cleanText(claims.email, MAX_EMAIL_LENGTH);
  return ok({
    identity: { issuer, subject, name, email: email.includes('@') ? email : null },
    groups: groupsOf(claims, names.groupsClaim),
  });
}
