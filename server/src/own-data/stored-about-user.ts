/**
 * The rows about one person outside the rooms (docs/OPERATIONS.md, "What is stored where"), for
 * their own-data export: profile, memberships, sign-ins and tokens (times only: never a hash),
 * registered packets, the closed-item changes they made. Each is bounded by what one person can
 * have, except the registrations, which are read in pages by the caller.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';

export interface Profile {
  id: string;
  name: string;
  email: string | null;
  created: string;
  disabled: string | null;
}

export async function profileOf(db: Kysely<Database>, userId: string): Promise<Profile | undefined> {
  return db.selectFrom('users').select(['id', 'name', 'email', 'created', 'disabled']).where('id', '=', userId).executeTakeFirst();
}

export async function membershipRowsOf(db: Kysely<Database>, userId: string) {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select(['groups.id', 'groups.name', 'memberships.role', 'memberships.closed_access', 'memberships.source'])
    .where('memberships.user_id', '=', userId)
    .orderBy('groups.id')
    .execute();
  return rows.map((r) => ({ group: { id: r.id, name: r.name }, role: r.role, closedAccess: r.closed_access === 1, source: r.source }));
}

/** Sign-ins and tokens: when made, until when, whether revoked. The secrets themselves are stored only as hashes and not exported. */
export async function signInsOf(db: Kysely<Database>, userId: string) {
  const [identities, sessions, tokens] = await Promise.all([
    db
      .selectFrom('oidc_identities')
      .select(['issuer', 'subject', 'created', 'last_sign_in'])
      .where('user_id', '=', userId)
      .orderBy('created')
      .execute(),
    db.selectFrom('refresh_families').select(['created', 'expires']).where('user_id', '=', userId).orderBy('created').execute(),
    db.selectFrom('tokens').select(['created', 'revoked']).where('user_id', '=', userId).orderBy('created').execute(),
  ]);
  return {
    identities: identities.map((i) => ({ issuer: i.issuer, subject: i.subject, created: i.created, lastSignIn: i.last_sign_in })),
    sessions,
    tokens,
  };
}

/** A page of the packets the user registered, by packet and version. */
export async function registrationPage(
  db: Kysely<Database>,
  userId: string,
  after: { packetId: string; version: string } | null,
  limit: number,
) {
  let select = db
    .selectFrom('packet_registrations')
    .select(['packet_id', 'version', 'title', 'meeting_date', 'page_count', 'first_seen', 'last_seen'])
    .where('user_id', '=', userId);
  if (after)
    select = select.where((eb) =>
      eb.or([eb('packet_id', '>', after.packetId), eb.and([eb('packet_id', '=', after.packetId), eb('version', '>', after.version)])]),
    );
  const rows = await select.orderBy('packet_id').orderBy('version').limit(limit).execute();
  return rows.map((r) => ({
    packetId: r.packet_id,
    version: r.version,
    title: r.title,
    meetingDate: r.meeting_date,
    pageCount: r.page_count,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  }));
}

/** What the user's newest registration of a packet says of it (null: they never registered it). */
export async function packetAsRegistered(db: Kysely<Database>, userId: string, packetId: string) {
  const row = await db
    .selectFrom('packet_registrations')
    .select(['version', 'title', 'meeting_date'])
    .where('user_id', '=', userId)
    .where('packet_id', '=', packetId)
    .orderBy('last_seen', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, title: row.title, meetingDate: row.meeting_date } : null;
}

/** Changes of closed items' access the user made as a secretary. */
export async function itemAccessChangesBy(db: Kysely<Database>, userId: string) {
  const rows = await db
    .selectFrom('item_access_audit')
    .select(['at', 'group_id', 'packet_id', 'item_number', 'closed', 'excluded'])
    .where('actor_id', '=', userId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    groupId: r.group_id,
    packetId: r.packet_id,
    itemNumber: r.item_number,
    closed: r.closed === 1,
    excluded: JSON.parse(r.excluded) as unknown,
  }));
}

/** The user's notifications, read or not (docs/NOTIFICATIONS.md). */
export { allNotificationsOf as notificationsOf } from '../storage/notifications.ts';
