/**
 * Notifications, their settings and the packets members opened (migration 0010,
 * docs/NOTIFICATIONS.md). Plain functions taking `db` first. What a recipient may still see is
 * decided here too (visibleNotifications): a notification about a group they left, or about an
 * item that is closed to them now, is not shown, counted or mailed.
 */
import {
  type Notification,
  NotificationLevel,
  type NotificationReason,
  type NotificationSettings,
  type ReadWhich,
} from '@randnoter/shared/protocol/http-api';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';

type NotificationRow = Selectable<Database['notifications']>;

/** What the server makes of one comment for one recipient (the row before it has an id). */
export interface NewNotification {
  recipientId: string;
  reason: NotificationReason;
  actor: { id: string; name: string };
  groupId: string;
  packetId: string;
  itemNumber: number | null;
  closed: boolean;
  annotationId: string;
  quote: string | null;
  created: string;
}

/** A member's choice for one group; the defaults when they made none. */
export interface GroupSetting {
  level: NotificationLevel;
  email: boolean;
}

export const DEFAULT_SETTING: GroupSetting = { level: NotificationLevel.mentionsAndReplies, email: true };

/** A stored notification as the API shows it, plus what the server alone needs. */
export interface StoredNotification extends Notification {
  recipientId: string;
  /** The comment is in a closed item's room, or on an item closed since: e-mail gives no content. */
  closed: boolean;
}

function toNotification(row: NotificationRow): StoredNotification {
  return {
    id: String(row.id),
    reason: row.reason as NotificationReason,
    actor: { id: row.actor_id, name: row.actor_name },
    groupId: row.group_id,
    packetId: row.packet_id,
    ...(row.item_number !== null ? { itemNumber: row.item_number } : {}),
    annotationId: row.annotation_id,
    ...(row.quote !== null ? { quote: row.quote } : {}),
    created: row.created,
    read: row.read_at !== null,
    recipientId: row.recipient_id,
    closed: row.closed === 1,
  };
}

/** The API's view: without what only the server needs. */
export function forRecipient({ recipientId: _r, closed: _c, ...notification }: StoredNotification): Notification {
  return notification;
}

/**
 * Stores the notifications that are new; one already made for the same (recipient, comment,
 * reason), by this process or another, is left alone. Returns only those stored now: the ones
 * to deliver, by whoever stored them.
 */
export async function insertNotifications(db: Kysely<Database>, notes: readonly NewNotification[]): Promise<StoredNotification[]> {
  const stored: StoredNotification[] = [];
  for (const n of notes) {
    const row = await db
      .insertInto('notifications')
      .values({
        recipient_id: n.recipientId,
        reason: n.reason,
        actor_id: n.actor.id,
        actor_name: n.actor.name,
        group_id: n.groupId,
        packet_id: n.packetId,
        item_number: n.itemNumber,
        closed: n.closed ? 1 : 0,
        annotation_id: n.annotationId,
        quote: n.quote,
        created: n.created,
      })
      .onConflict((oc) => oc.columns(['recipient_id', 'group_id', 'packet_id', 'annotation_id', 'reason']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) stored.push(toNotification(row));
  }
  return stored;
}

/** Keeps the newest `keep` notifications of the user; older ones go. */
export async function pruneNotifications(db: Kysely<Database>, userId: string, keep: number): Promise<void> {
  const cutoff = await db
    .selectFrom('notifications')
    .select('id')
    .where('recipient_id', '=', userId)
    .orderBy('id', 'desc')
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (cutoff) await db.deleteFrom('notifications').where('recipient_id', '=', userId).where('id', '<=', cutoff.id).execute();
}

/**
 * The rows the recipient may still see: in a group they are a member of, and not on an item that
 * is closed to them (no closed access, excluded). A row on an item closed since it was made comes
 * back with `closed` set.
 */
export async function visibleNotifications(
  db: Kysely<Database>,
  userId: string,
  rows: readonly NotificationRow[],
): Promise<StoredNotification[]> {
  if (rows.length === 0) return [];
  const groups = [...new Set(rows.map((r) => r.group_id))];
  const memberships = await db
    .selectFrom('memberships')
    .select(['group_id', 'closed_access'])
    .where('user_id', '=', userId)
    .where('group_id', 'in', groups)
    .execute();
  const access = new Map(memberships.map((m) => [m.group_id, m.closed_access === 1]));
  const packets = [...new Set(rows.filter((r) => r.item_number !== null).map((r) => r.packet_id))];
  const closedItems =
    packets.length === 0
      ? []
      : await db
          .selectFrom('closed_items')
          .select(['group_id', 'packet_id', 'item_number', 'excluded'])
          .where('group_id', 'in', groups)
          .where('packet_id', 'in', packets)
          .execute();
  const closed = new Map(closedItems.map((c) => [`${c.group_id}/${c.packet_id}/${c.item_number}`, c.excluded]));
  const out: StoredNotification[] = [];
  for (const row of rows) {
    const closedAccess = access.get(row.group_id);
    if (closedAccess === undefined) continue;
    const excluded = row.item_number === null ? undefined : closed.get(`${row.group_id}/${row.packet_id}/${row.item_number}`);
    const isClosed = excluded !== undefined || row.closed === 1;
    if (isClosed && (!closedAccess || (excluded !== undefined && (JSON.parse(excluded) as unknown[]).includes(userId)))) continue;
    // A row made on a closed item stays closed (no content by e-mail) even if the item opened since.
    out.push({ ...toNotification(row), closed: isClosed });
  }
  return out;
}

/** One page of the user's notifications they may see, newest first. */
export async function listNotifications(
  db: Kysely<Database>,
  userId: string,
  options: { unreadOnly: boolean; before?: number; pageSize: number },
): Promise<StoredNotification[]> {
  const page: StoredNotification[] = [];
  let before = options.before;
  // Rows the user may no longer see are skipped, so a page is read in a few bounded steps.
  for (let step = 0; step < 4 && page.length < options.pageSize; step++) {
    let query = db.selectFrom('notifications').selectAll().where('recipient_id', '=', userId);
    if (options.unreadOnly) query = query.where('read_at', 'is', null);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.orderBy('id', 'desc').limit(options.pageSize).execute();
    page.push(...(await visibleNotifications(db, userId, rows)));
    if (rows.length < options.pageSize) break;
    before = rows.at(-1)?.id;
  }
  return page.slice(0, options.pageSize);
}

/** How many of the user's notifications are unread and visible to them (at most as many as are kept). */
export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const rows = await db.selectFrom('notifications').selectAll().where('recipient_id', '=', userId).where('read_at', 'is', null).execute();
  return (await visibleNotifications(db, userId, rows)).length;
}

/** Marks the user's notifications read (these ids, all of a packet's, or those about these comments); returns how many were unread. */
export async function markRead(db: Kysely<Database>, userId: string, which: ReadWhich, at: string): Promise<number> {
  let query = db.updateTable('notifications').set({ read_at: at }).where('recipient_id', '=', userId).where('read_at', 'is', null);
  if ('ids' in which) query = query.where('id', 'in', which.ids.map(Number));
  else query = query.where('packet_id', '=', which.packetId);
  if ('annotationIds' in which) query = query.where('annotation_id', 'in', which.annotationIds);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A comment is gone (deleted): so are the notifications about it, quote and all. */
export async function forgetComment(db: Kysely<Database>, groupId: string, packetId: string, annotationId: string): Promise<void> {
  await db
    .deleteFrom('notifications')
    .where('group_id', '=', groupId)
    .where('packet_id', '=', packetId)
    .where('annotation_id', '=', annotationId)
    .execute();
}

/** The choices these users made for the group (the defaults for those who made none). */
export async function settingsFor(db: Kysely<Database>, groupId: string, userIds: readonly string[]): Promise<Map<string, GroupSetting>> {
  const result = new Map<string, GroupSetting>(userIds.map((id) => [id, DEFAULT_SETTING]));
  if (userIds.length === 0) return result;
  const rows = await db
    .selectFrom('notification_settings')
    .select(['user_id', 'level', 'email'])
    .where('group_id', '=', groupId)
    .where('user_id', 'in', [...userIds])
    .execute();
  for (const r of rows) result.set(r.user_id, { level: r.level as NotificationLevel, email: r.email === 1 });
  return result;
}

/** The caller's settings for each of their groups. */
export async function settingsOf(db: Kysely<Database>, userId: string): Promise<NotificationSettings> {
  const [groups, saved, user] = await Promise.all([
    db
      .selectFrom('memberships')
      .innerJoin('groups', 'groups.id', 'memberships.group_id')
      .select(['groups.id', 'groups.name'])
      .where('memberships.user_id', '=', userId)
      .orderBy('groups.id')
      .execute(),
    db.selectFrom('notification_settings').select(['group_id', 'level', 'email']).where('user_id', '=', userId).execute(),
    db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst(),
  ]);
  const byGroup = new Map(saved.map((s) => [s.group_id, { level: s.level as NotificationLevel, email: s.email === 1 }]));
  return {
    emailAddress: user?.email ?? null,
    groups: groups.map((g) => ({ groupId: g.id, groupName: g.name, ...(byGroup.get(g.id) ?? DEFAULT_SETTING) })),
  };
}

/** Changes what `change` names of the user's setting for a group, the rest as it was. */
export async function writeSetting(db: Kysely<Database>, userId: string, groupId: string, change: Partial<GroupSetting>): Promise<void> {
  const current = (await settingsFor(db, groupId, [userId])).get(userId) ?? DEFAULT_SETTING;
  const next = { ...current, ...change };
  const values = { level: next.level, email: next.email ? 1 : 0 };
  await db
    .insertInto('notification_settings')
    .values({ user_id: userId, group_id: groupId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'group_id']).doUpdateSet(values))
    .execute();
}

/** The member's socket joined the group's packet's shared room: from now on they may follow it. */
export async function recordOpen(db: Kysely<Database>, userId: string, groupId: string, packetId: string, at: string): Promise<void> {
  await db
    .insertInto('packet_opens')
    .values({ user_id: userId, group_id: groupId, packet_id: packetId, opened: at })
    .onConflict((oc) => oc.columns(['user_id', 'group_id', 'packet_id']).doNothing())
    .execute();
}

/** Who opened the group's packet and hears everything of the group (level `all`). */
export async function followersOf(db: Kysely<Database>, groupId: string, packetId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('packet_opens')
    .innerJoin('notification_settings', (join) =>
      join
        .onRef('notification_settings.user_id', '=', 'packet_opens.user_id')
        .onRef('notification_settings.group_id', '=', 'packet_opens.group_id'),
    )
    .select('packet_opens.user_id')
    .where('packet_opens.group_id', '=', groupId)
    .where('packet_opens.packet_id', '=', packetId)
    .where('notification_settings.level', '=', NotificationLevel.all)
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Everything of notifications that concerns the user, for erasure: those they received, those
 * their comments made for others (their name is on them), their settings, the packets they
 * opened, their unsent e-mail and digests.
 */
export async function eraseUserNotifications(db: Kysely<Database>, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('notifications')
      .where((eb) => eb.or([eb('recipient_id', '=', userId), eb('actor_id', '=', userId)]))
      .execute();
    await trx.deleteFrom('notification_settings').where('user_id', '=', userId).execute();
    await trx.deleteFrom('packet_opens').where('user_id', '=', userId).execute();
    await trx.deleteFrom('mail_outbox').where('recipient_id', '=', userId).execute();
    await trx.deleteFrom('mail_digests').where('user_id', '=', userId).execute();
  });
}
