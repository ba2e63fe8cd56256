/**
 * A sign-in the provider vouched for, stored: the user found by issuer + subject (or made), name
 * and e-mail brought up to date, and the memberships that sign-in gives synced with the groups
 * claim. One transaction, run again when PostgreSQL aborts it for a concurrent one (two first
 * sign-ins of one person at once).
 */
import type { Kysely } from 'kysely';
import { retryConflicts } from '../../storage/dialect.ts';
import type { Database, User } from '../../storage/schema.ts';
import { syncOidcMemberships, upsertOidcUser } from '../../storage/sign-ins.ts';
import { newUserId } from '../accounts.ts';
import type { SignedIn } from './identity-claims.ts';

export interface StoredSignIn {
  user: User;
  /** An administrator disabled the user: no code is given, nothing else changed. */
  disabled: boolean;
  created: boolean;
  added: string[];
  removed: string[];
  /** Groups whose role or closed access the groups claim changed (docs/CLOSED-ITEMS.md). */
  access: string[];
}

export async function storeSignIn(db: Kysely<Database>, signedIn: SignedIn, now: string): Promise<StoredSignIn> {
  return retryConflicts(() =>
    db.transaction().execute(async (trx) => {
      const { user, disabled, created } = await upsertOidcUser(trx, signedIn.identity, now, newUserId);
      if (disabled || signedIn.groups === null) return { user, disabled, created, added: [], removed: [], access: [] };
      return { user, disabled, created, ...(await syncOidcMemberships(trx, user.id, signedIn.groups)) };
    }),
  );
}
