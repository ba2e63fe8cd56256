/**
 * Sign-in through OpenID Connect: identities, group memberships from the groups claim, login
 * codes, refresh-token families and access tokens. Plain functions taking `db` first; tokens and
 * codes arrive here as sha256 hashes only. Times are ISO strings, which sort as they compare.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from './schema.ts';

export interface OidcIdentity {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
}

/**
 * The user this identity signed in as before, with name and e-mail brought up to date, or a new
 * user (id from `newId`). `disabled` says whether an administrator disabled them.
 */
export async function upsertOidcUser(
  db: Kysely<Database>,
  identity: OidcIdentity,
  now: string,
  newId: () => string,
): Promise<{ user: User; disabled: boolean; created: boolean }> {
  const known = await db
    .selectFrom('oidc_identities')
    .innerJoin('users', 'users.id', 'oidc_identities.user_id')
    .select(['users.id', 'users.created', 'users.disabled'])
    .where('oidc_identities.issuer', '=', identity.issuer)
    .where('oidc_identities.subject', '=', identity.subject)
    .executeTakeFirst();
  if (known) {
    await db.updateTable('users').set({ name: identity.name, email: identity.email }).where('id', '=', known.id).execute();
    await db
      .updateTable('oidc_identities')
      .set({ last_sign_in: now })
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .execute();
    return { user: { id: known.id, name: identity.name, created: known.created }, disabled: known.disabled !== null, created: false };
  }
  const user: User = { id: newId(), name: identity.name, created: now };
  await db
    .insertInto('users')
    .values({ ...user, disabled: null, email: identity.email })
    .execute();
  await db
    .insertInto('oidc_identities')
    .values({ issuer: identity.issuer, subject: identity.subject, user_id: user.id, created: now, last_sign_in: now })
    .execute();
  return { user, disabled: false, created: true };
}

/**
 * Makes the user's sign-in memberships those of the groups that `claimValues` name (a group by its
 * `oidc_group`, or by its id when it has none). Memberships an administrator made are neither
 * removed nor changed. Returns the groups joined and left.
 */
export async function syncOidcMemberships(
  db: Kysely<Database>,
  userId: string,
  claimValues: readonly string[],
): Promise<{ added: string[]; removed: string[]; access: string[] }> {
  const wanted = new Set(
    claimValues.length === 0
      ? []
      : (
          await db
            .selectFrom('groups')
            .select('id')
            .where((eb) => eb(eb.fn.coalesce('oidc_group', 'id'), 'in', [...claimValues]))
            .execute()
        ).map((g) => g.id),
  );
  const current = await db.selectFrom('memberships').select(['group_id', 'source']).where('user_id', '=', userId).execute();
  const held = new Set(current.map((m) => m.group_id));
  const added = [...wanted].filter((g) => !held.has(g)).sort();
  const removed = current
    .filter((m) => m.source === 'oidc' && !wanted.has(m.group_id))
    .map((m) => m.group_id)
    .sort();
  if (added.length > 0)
    await db
      .insertInto('memberships')
      .values(added.map((group_id) => ({ group_id, user_id: userId, source: 'oidc' as const })))
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute();
  if (removed.length > 0)
    await db
      .deleteFrom('memberships')
      .where('user_id', '=', userId)
      .where('source', '=', 'oidc')
      .where('group_id', 'in', removed)
      .execute();
  return { added, removed, access: await syncOidcAccess(db, userId, new Set(claimValues)) };
}

/**
 * A sign-in's memberships in groups whose role or closed access follows the groups claim
 * (`oidc_secretaries`, `oidc_closed_access`, migration 0007) get them from it: a secretary while
 * the claim holds the group's secretaries value, closed access while it holds its closed-access
 * value. Groups without those values, and memberships an administrator made, are left alone.
 * Returns the groups whose access changed.
 */
async function syncOidcAccess(db: Kysely<Database>, userId: string, claims: ReadonlySet<string>): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select(['groups.id', 'groups.oidc_secretaries', 'groups.oidc_closed_access', 'memberships.role', 'memberships.closed_access'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.source', '=', 'oidc')
    .where((eb) => eb.or([eb('groups.oidc_secretaries', 'is not', null), eb('groups.oidc_closed_access', 'is not', null)]))
    .execute();
  const changed: string[] = [];
  for (const row of rows) {
    const role = row.oidc_secretaries === null ? row.role : claims.has(row.oidc_secretaries) ? 'secretary' : 'member';
    const closedAccess = row.oidc_closed_access === null ? row.closed_access : claims.has(row.oidc_closed_access) ? 1 : 0;
    if (role === row.role && closedAccess === row.closed_access) continue;
    await db
      .updateTable('memberships')
      .set({ role, closed_access: closedAccess })
      .where('user_id', '=', userId)
      .where('group_id', '=', row.id)
      .execute();
    changed.push(row.id);
  }
  return changed.sort();
}

export async function insertLoginCode(
  db: Kysely<Database>,
  code: { hash: string; userId: string; codeChallenge: string; expires: string },
  now: string,
): Promise<void> {
  await db.deleteFrom('login_codes').where('expires', '<=', now).execute();
  await db
    .insertInto('login_codes')
    .values({ hash: code.hash, user_id: code.userId, code_challenge: code.codeChallenge, expires: code.expires })
    .execute();
}

/** Deletes the code and returns what it was for: a second call with the same hash finds nothing. */
export async function takeLoginCode(
  db: Kysely<Database>,
  hash: string,
): Promise<{ userId: string; codeChallenge: string; expires: string } | undefined> {
  const row = await db
    .deleteFrom('login_codes')
    .where('hash', '=', hash)
    .returning(['user_id', 'code_challenge', 'expires'])
    .executeTakeFirst();
  return row && { userId: row.user_id, codeChallenge: row.code_challenge, expires: row.expires };
}

/** A new sign-in. Ended ones are cleared first, then the user's oldest past `maxPerUser` are ended. */
export async function insertRefreshFamily(
  db: Kysely<Database>,
  family: { id: string; userId: string; created: string; expires: string; refreshHash: string; refreshExpires: string },
  maxPerUser: number,
): Promise<void> {
  const ended = await db
    .selectFrom('refresh_families')
    .select('id')
    .where((eb) => eb.or([eb('expires', '<=', family.created), eb('refresh_expires', '<=', family.created)]))
    .limit(1_000)
    .execute();
  await deleteFamilies(
    db,
    ended.map((f) => f.id),
  );
  await db
    .insertInto('refresh_families')
    .values({
      id: family.id,
      user_id: family.userId,
      created: family.created,
      expires: family.expires,
      refresh_hash: family.refreshHash,
      refresh_expires: family.refreshExpires,
    })
    .execute();
  const surplus = await db
    .selectFrom('refresh_families')
    .select('id')
    .where('user_id', '=', family.userId)
    .orderBy('created', 'desc')
    .orderBy('id')
    .offset(maxPerUser)
    .limit(1_000)
    .execute();
  await deleteFamilies(
    db,
    surplus.map((f) => f.id),
  );
}

/**
 * Replaces the family's refresh token if `oldHash` is its current one and neither the token nor the
 * sign-in has expired: true then. Compare-and-set, so of two refreshes with one token only one wins.
 */
export async function rotateRefreshToken(
  db: Kysely<Database>,
  familyId: string,
  oldHash: string,
  next: { hash: string; expires: string },
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('refresh_families')
    .set({ refresh_hash: next.hash, refresh_expires: next.expires })
    .where('id', '=', familyId)
    .where('refresh_hash', '=', oldHash)
    .where('refresh_expires', '>', now)
    .where('expires', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findRefreshFamily(
  db: Kysely<Database>,
  familyId: string,
): Promise<{ userId: string; expires: string; refreshHash: string; refreshExpires: string } | undefined> {
  const row = await db
    .selectFrom('refresh_families')
    .select(['user_id', 'expires', 'refresh_hash', 'refresh_expires'])
    .where('id', '=', familyId)
    .executeTakeFirst();
  return row && { userId: row.user_id, expires: row.expires, refreshHash: row.refresh_hash, refreshExpires: row.refresh_expires };
}

/**
 * Ends sign-ins: their access tokens go with them (deleted here, not left to a cascade that
 * depends on the connection's settings). Returns how many ended.
 */
async function deleteFamilies(db: Kysely<Database>, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await db.deleteFrom('access_tokens').where('family_id', 'in', ids).execute();
  const r = await db.deleteFrom('refresh_families').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends one sign-in (logout, or a reused refresh token); returns whether it existed. */
export async function deleteRefreshFamily(db: Kysely<Database>, familyId: string): Promise<boolean> {
  return (await deleteFamilies(db, [familyId])) > 0;
}

/** Ends every sign-in of the user (`admin token revoke <user>`); returns how many. */
export async function deleteUserFamilies(db: Kysely<Database>, userId: string): Promise<number> {
  const ids = await db.selectFrom('refresh_families').select('id').where('user_id', '=', userId).execute();
  return deleteFamilies(
    db,
    ids.map((f) => f.id),
  );
}

export async function insertAccessToken(
  db: Kysely<Database>,
  token: { hash: string; familyId: string; expires: string },
  now: string,
): Promise<void> {
  await db.deleteFrom('access_tokens').where('expires', '<=', now).execute();
  await db.insertInto('access_tokens').values({ hash: token.hash, family_id: token.familyId, expires: token.expires }).execute();
}

/** The user of an access token that has not expired, of a sign-in that has not ended, of a user not disabled. */
export async function userByAccessTokenHash(db: Kysely<Database>, hash: string, now: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'created'])
    .where('id', '=', (eb) =>
      eb
        .selectFrom('refresh_families')
        .select('user_id')
        .where('expires', '>', now)
        .where('id', '=', (eb2) => eb2.selectFrom('access_tokens').select('family_id').where('hash', '=', hash).where('expires', '>', now)),
    )
    .where('disabled', 'is', null)
    .executeTakeFirst();
}

/** The user of a sign-in that has not ended, of a user not disabled (open sockets re-check this). */
export async function userBySignIn(db: Kysely<Database>, familyId: string, now: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'created'])
    .where('id', '=', (eb) => eb.selectFrom('refresh_families').select('user_id').where('id', '=', familyId).where('expires', '>', now))
    .where('disabled', 'is', null)
    .executeTakeFirst();
}
