/**
 * Bearer tokens: 256 random bits, shown once, stored only as a sha256 hash.
 * A fast hash is right here (unlike passwords): the input is random, so there is nothing to guess.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'rn_';
const TOKEN_PATTERN = /^rn_[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
