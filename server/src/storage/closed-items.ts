/**
 * Closed agenda items (migration 0007, docs/CLOSED-ITEMS.md): which items of a group's packet are
 * closed, who is excluded from each, who may read them, and the audit of every change. Plain
 * functions taking `db` first (a transaction too).
 */
import type { ClosedRoomRef } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface ClosedItem {
  itemNumber: number;
  /** Members who may not read the item, whatever their closed access (conflict of interest). */
  excluded: string[];
  updatedBy: string;
  updated: string;
}

/** One change of an item's access, as audited. */
export interface AccessChange {
  groupId: string;
  packetId: string;
  itemNumber: number;
  closed: boolean;
  excluded: readonly string[];
  /** Who made it (a secretary's user id) and when. */
  actorId: string;
  at: string;
  /** Comments moved between the rooms by the change. */
  moved: number;
}

const excludedOf = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** The closed items of a group's packet, by number. */
export async function closedItemsOf(db: Kysely<Database>, groupId: string, packetId: string): Promise<ClosedItem[]> {
  const rows = await db
    .selectFrom('closed_items')
    .select(['item_number', 'excluded', 'updated_by', 'updated'])
    .where('group_id', '=', groupId)
    .where('packet_id', '=', packetId)
    .orderBy('item_number')
    .execute();
  return rows.map((r) => ({ itemNumber: r.item_number, excluded: excludedOf(r.excluded), updatedBy: r.updated_by, updated: r.updated }));
}

/** Every closed item of every group's packets: closed items are few, so the presence filter holds them all (closed-item-index.ts). */
export async function allClosedItems(db: Kysely<Database>): Promise<Array<{ groupId: string; packetId: string; itemNumber: number }>> {
  const rows = await db.selectFrom('closed_items').select(['group_id', 'packet_id', 'item_number']).execute();
  return rows.map((r) => ({ groupId: r.group_id, packetId: r.packet_id, itemNumber: r.item_number }));
}

/**
 * Whether the user may read the closed item's room: a member with closed access, the item closed,
 * the user not excluded from it. One query, so a socket re-check costs one lookup.
 */
export async function mayReadClosed(db: Kysely<Database>, ref: ClosedRoomRef, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('closed_items')
    .innerJoin('memberships', (join) =>
      join.onRef('memberships.group_id', '=', 'closed_items.group_id').on('memberships.user_id', '=', userId),
    )
    .select(['closed_items.excluded', 'memberships.closed_access'])
    .where('closed_items.group_id', '=', ref.groupId)
    .where('closed_items.packet_id', '=', ref.packetId)
    .where('closed_items.item_number', '=', ref.itemNumber)
    .executeTakeFirst();
  return row !== undefined && row.closed_access === 1 && !excludedOf(row.excluded).includes(userId);
}

/** Stores the item's access (a row while closed, none while open) and audits the change. */
export async function writeItemAccess(db: Kysely<Database>, change: AccessChange): Promise<void> {
  const { groupId, packetId, itemNumber, closed, actorId, at } = change;
  const excluded = JSON.stringify([...change.excluded]);
  if (closed) {
    await db
      .insertInto('closed_items')
      .values({ group_id: groupId, packet_id: packetId, item_number: itemNumber, excluded, updated_by: actorId, updated: at })
      .onConflict((oc) => oc.columns(['group_id', 'packet_id', 'item_number']).doUpdateSet({ excluded, updated_by: actorId, updated: at }))
      .execute();
  } else {
    await db
      .deleteFrom('closed_items')
      .where('group_id', '=', groupId)
      .where('packet_id', '=', packetId)
      .where('item_number', '=', itemNumber)
      .execute();
  }
  await db
    .insertInto('item_access_audit')
    .values({
      at,
      actor_id: actorId,
      group_id: groupId,
      packet_id: packetId,
      item_number: itemNumber,
      closed: closed ? 1 : 0,
      excluded,
      moved: change.moved,
    })
    .execute();
}

/** The audit of a packet's items' access (or one item's), oldest first. */
export async function accessAuditOf(db: Kysely<Database>, groupId: string, packetId: string, itemNumber?: number): Promise<AccessChange[]> {
  let query = db.selectFrom('item_access_audit').selectAll().where('group_id', '=', groupId).where('packet_id', '=', packetId);
  if (itemNumber !== undefined) query = query.where('item_number', '=', itemNumber);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    groupId: r.group_id,
    packetId: r.packet_id,
    itemNumber: r.item_number,
    closed: r.closed === 1,
    excluded: excludedOf(r.excluded),
    actorId: r.actor_id,
    at: r.at,
    moved: r.moved,
  }));
}
