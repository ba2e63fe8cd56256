import type { Kysely } from 'kysely';
import type { Database, User } from '../storage/schema.ts';
import { userByTokenHash } from '../storage/tokens.ts';
import { hashToken, looksLikeToken } from './tokens.ts';

export type Authenticate = (token: string) => Promise<User | undefined>;

export function tokenAuthenticator(db: Kysely<Database>): Authenticate {
  return async (token) => (looksLikeToken(token) ? userByTokenHash(db, hashToken(token)) : undefined);
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
