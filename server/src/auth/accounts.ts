/** Creating users, groups and tokens: used by the admin CLI and by first-run bootstrap. */
import { randomBytes } from 'node:crypto';
import { isId } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { Database, Group, OidcAccessClaims, User } from '../storage/schema.ts';
import { deleteUserFamilies } from '../storage/sign-ins.ts';
import { insertTokenHash, revokeTokenHash, revokeUserTokens } from '../storage/tokens.ts';
import {
  addMember,
  ensureGroup,
  findGroup,
  findUser,
  insertUser,
  type MemberAccess,
  oidcGroupOf,
  removeMember,
  setDisabled,
  setMemberAccess,
  setOidcAccessClaims,
  setOidcGroup,
} from '../storage/users.ts';
import { MAX_GROUP_VALUE_LENGTH } from './oidc/identity-claims.ts';
import { hashToken, looksLikeToken, newToken } from './tokens.ts';

export class AccountError extends Error {}

/**
 * A random user id (72 bits, base64url) that does not start with '-': ids are typed into the
 * admin command line, where a leading '-' would read as an option.
 */
export function newUserId(): string {
  for (;;) {
    const id = randomBytes(9).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export async function issueToken(db: Kysely<Database>, userId: string, now: string): Promise<string> {
  if (!(await findUser(db, userId))) throw new AccountError(`no user with id ${userId}`);
  const token = newToken();
  await insertTokenHash(db, userId, hashToken(token), now);
  return token;
}

/**
 * Creates the group unless it exists. `oidcGroup`: the groups-claim value that makes signed-in
 * users members (set on an existing group too); without it a group matches by its own id.
 */
export async function createGroup(
  db: Kysely<Database>,
  id: string,
  name: string | undefined,
  now: string,
  oidcGroup?: string,
  oidcAccess: Partial<OidcAccessClaims> = {},
): Promise<{ group: Group; created: boolean; oidcGroup: string | null }> {
  if (!isId(id)) throw new AccountError('a group id may use letters, digits, "-" and "_" (1-128 characters)');
  const claimValue = (value: string | undefined, flag: string) => {
    if (value !== undefined && (value.length === 0 || value.length > MAX_GROUP_VALUE_LENGTH))
      throw new AccountError(`${flag} takes a claim value of 1-${MAX_GROUP_VALUE_LENGTH} characters`);
  };
  claimValue(oidcGroup, '--oidc-group');
  claimValue(oidcAccess.secretaries ?? undefined, '--oidc-secretaries');
  claimValue(oidcAccess.closedAccess ?? undefined, '--oidc-closed-access');
  const created = await ensureGroup(db, { id, name: name ?? id, created: now });
  if (oidcGroup !== undefined) await setOidcGroup(db, id, oidcGroup);
  if (oidcAccess.secretaries !== undefined || oidcAccess.closedAccess !== undefined) await setOidcAccessClaims(db, id, oidcAccess);
  return { group: (await findGroup(db, id)) as Group, created, oidcGroup: await oidcGroupOf(db, id) };
}

export async function createUser(
  db: Kysely<Database>,
  name: string,
  groupId: string | undefined,
  now: string,
): Promise<{ user: User; token: string; groupCreated: boolean }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new AccountError('a user needs a name of 1-200 characters');
  return db.transaction().execute(async (trx) => {
    const user: User = { id: newUserId(), name: trimmed, created: now };
    await insertUser(trx, user);
    let groupCreated = false;
    if (groupId !== undefined) {
      groupCreated = (await createGroup(trx, groupId, undefined, now)).created;
      await addMember(trx, groupId, user.id);
    }
    return { user, token: await issueToken(trx, user.id, now), groupCreated };
  });
}

/**
 * Makes the user a member (an administrator's membership), and sets the parts of its access that
 * `access` names; a new membership is a plain member without closed access until told otherwise.
 */
export async function addMembership(
  db: Kysely<Database>,
  groupId: string,
  userId: string,
  access: Partial<MemberAccess> = {},
): Promise<void> {
  if (!(await findGroup(db, groupId))) throw new AccountError(`no group with id ${groupId}`);
  if (!(await findUser(db, userId))) throw new AccountError(`no user with id ${userId}`);
  await db.transaction().execute(async (trx) => {
    await addMember(trx, groupId, userId);
    await setMemberAccess(trx, groupId, userId, access);
  });
}

export async function removeMembership(db: Kysely<Database>, groupId: string, userId: string): Promise<void> {
  if (!(await findGroup(db, groupId))) throw new AccountError(`no group with id ${groupId}`);
  if (!(await removeMember(db, groupId, userId))) throw new AccountError(`user ${userId} is not a member of ${groupId}`);
}

/** Disables (`now`) or enables (null) a user: a disabled user's tokens are refused, their data kept. */
export async function setUserDisabled(db: Kysely<Database>, userId: string, disabled: string | null): Promise<void> {
  if (!(await setDisabled(db, userId, disabled))) throw new AccountError(`no user with id ${userId}`);
}

/** Revokes one token (given the token) or all of a user's tokens and sign-ins (given a user id). */
export async function revoke(db: Kysely<Database>, tokenOrUserId: string, now: string): Promise<number> {
  if (looksLikeToken(tokenOrUserId)) return revokeTokenHash(db, hashToken(tokenOrUserId), now);
  if (!(await findUser(db, tokenOrUserId))) throw new AccountError('not a token and not a user id');
  return (await revokeUserTokens(db, tokenOrUserId, now)) + (await deleteUserFamilies(db, tokenOrUserId));
}
