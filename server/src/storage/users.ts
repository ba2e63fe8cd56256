/** Users, groups and memberships. Plain functions taking `db` first. */

import type { MemberRole } from '@randnoter/shared/protocol/http-api';
import type { Kysely } from 'kysely';
import type { Database, Group, MembershipSource, OidcAccessClaims, User } from './schema.ts';

export async function insertUser(db: Kysely<Database>, user: User): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...user, disabled: null })
    .execute();
}

export async function findUser(db: Kysely<Database>, id: string): Promise<User | undefined> {
  return db.selectFrom('users').select(['id', 'name', 'created']).where('id', '=', id).executeTakeFirst();
}

/** Disables (a time) or enables (null) a user; returns whether the user exists. */
export async function setDisabled(db: Kysely<Database>, id: string, disabled: string | null): Promise<boolean> {
  const r = await db.updateTable('users').set({ disabled }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Returns whether the user was a member. */
export async function removeMember(db: Kysely<Database>, groupId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('memberships').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findGroup(db: Kysely<Database>, id: string): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the group unless it exists; returns whether it was created. */
export async function ensureGroup(db: Kysely<Database>, group: Group): Promise<boolean> {
  const result = await db
    .insertInto('groups')
    .values(group)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Makes the user a member. An administrator's membership stays through every sign-in: adding one
 * that a sign-in made turns it into the administrator's.
 */
export async function setOidcGroup(db: Kysely<Database>, groupId: string, oidcGroup: string): Promise<void> {
  await db.updateTable('groups').set({ oidc_group: oidcGroup }).where('id', '=', groupId).execute();
}

/** The groups-claim values that make a signed-in member a secretary, or give closed access (those given). */
export async function setOidcAccessClaims(db: Kysely<Database>, groupId: string, claims: Partial<OidcAccessClaims>): Promise<void> {
  await db
    .updateTable('groups')
    .set({
      ...(claims.secretaries !== undefined ? { oidc_secretaries: claims.secretaries } : {}),
      ...(claims.closedAccess !== undefined ? { oidc_closed_access: claims.closedAccess } : {}),
    })
    .where('id', '=', groupId)
    .execute();
}

/** The groups-claim value a group is matched by at sign-in, when it is not its own id. */
export async function oidcGroupOf(db: Kysely<Database>, groupId: string): Promise<string | null> {
  const row = await db.selectFrom('groups').select('oidc_group').where('id', '=', groupId).executeTakeFirst();
  return row?.oidc_group ?? null;
}

export async function addMember(db: Kysely<Database>, groupId: string, userId: string, source: MembershipSource = 'admin'): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ group_id: groupId, user_id: userId, source })
    .onConflict((oc) =>
      source === 'admin' ? oc.columns(['group_id', 'user_id']).doUpdateSet({ source }) : oc.columns(['group_id', 'user_id']).doNothing(),
    )
    .execute();
}

/** Renames a user; returns whether the user exists. */
export async function setUserName(db: Kysely<Database>, id: string, name: string): Promise<boolean> {
  const r = await db.updateTable('users').set({ name }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Whether the organisation's sign-in names this user (it sets the name at every sign-in). */
export async function namedBySignIn(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db.selectFrom('oidc_identities').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** The user's e-mail address as the last sign-in gave it, if any. */
export async function emailOf(db: Kysely<Database>, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return row?.email ?? undefined;
}

/** What a membership allows beyond reading the group's open rooms (migration 0007). */
export interface MemberAccess {
  role: MemberRole;
  /** May read closed items, unless excluded from one. */
  closedAccess: boolean;
}

/** Sets the parts of a membership's access that `access` names; returns whether the membership exists. */
export async function setMemberAccess(
  db: Kysely<Database>,
  groupId: string,
  userId: string,
  access: Partial<MemberAccess>,
): Promise<boolean> {
  const set = {
    ...(access.role !== undefined ? { role: access.role } : {}),
    ...(access.closedAccess !== undefined ? { closed_access: access.closedAccess ? 1 : 0 } : {}),
  };
  if (Object.keys(set).length === 0) return isMember(db, groupId, userId);
  const r = await db.updateTable('memberships').set(set).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The membership's access, or undefined for a non-member. */
export async function memberAccessOf(db: Kysely<Database>, groupId: string, userId: string): Promise<MemberAccess | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select(['role', 'closed_access'])
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? { role: row.role, closedAccess: row.closed_access === 1 } : undefined;
}

/** The user's groups with what each membership allows, by group id. */
export async function membershipsOf(db: Kysely<Database>, userId: string): Promise<Array<Group & MemberAccess>> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select(['groups.id', 'groups.name', 'groups.created', 'memberships.role', 'memberships.closed_access'])
    .where('memberships.user_id', '=', userId)
    .orderBy('groups.id')
    .execute();
  return rows.map(({ closed_access, ...row }) => ({ ...row, closedAccess: closed_access === 1 }));
}

/** A group's members by name (for a secretary choosing whom to exclude from a closed item). */
export async function membersOf(db: Kysely<Database>, groupId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name'])
    .where('memberships.group_id', '=', groupId)
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
}

export async function isMember(db: Kysely<Database>, groupId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A subquery rather than a join: see userByTokenHash in tokens.ts. */
export async function groupsOf(db: Kysely<Database>, userId: string): Promise<Group[]> {
  return db
    .selectFrom('groups')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('memberships').select('group_id').where('user_id', '=', userId))
    .orderBy('id')
    .execute();
}

/** A group's own retention in days after the meeting date; null: the server's setting. Returns whether the group exists. */
export async function setGroupRetention(db: Kysely<Database>, groupId: string, days: number | null): Promise<boolean> {
  const r = await db.updateTable('groups').set({ retention_days: days }).where('id', '=', groupId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
