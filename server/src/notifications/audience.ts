/**
 * Who can see a comment: the group's members for its open room; for a closed item's room, the
 * members with closed access who are not excluded, while the item is closed. Mentions of anyone
 * else are dropped and nobody else is notified (docs/NOTIFICATIONS.md).
 */
import type { GroupMember } from '@randnoter/shared/protocol/http-api';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { membersOf } from '../storage/users.ts';

/** Where a comment lives: a group's open room (itemNumber null) or a closed item's room. */
export interface CommentPlace {
  groupId: string;
  packetId: string;
  itemNumber: number | null;
}

/** The audience by id, with the names the server has for them, in name order. */
export async function audienceOf(db: Kysely<Database>, place: CommentPlace): Promise<GroupMember[]> {
  const members = await membersOf(db, place.groupId);
  if (place.itemNumber === null) return members;
  const item = await db
    .selectFrom('closed_items')
    .select('excluded')
    .where('group_id', '=', place.groupId)
    .where('packet_id', '=', place.packetId)
    .where('item_number', '=', place.itemNumber)
    .executeTakeFirst();
  if (!item) return [];
  const excluded = new Set(JSON.parse(item.excluded) as unknown[]);
  const withAccess = new Set(
    (
      await db.selectFrom('memberships').select('user_id').where('group_id', '=', place.groupId).where('closed_access', '=', 1).execute()
    ).map((r) => r.user_id),
  );
  return members.filter((m) => withAccess.has(m.id) && !excluded.has(m.id));
}
