/**
 * A new comment must go to the room of the item it lies in (docs/CLOSED-ITEMS.md): one on a closed
 * item sent to the group's open room is refused (409, saying where it belongs), so nobody puts
 * closed matter in the open room by mistake; one sent to a closed item's room whose target names
 * another item is refused too. A reply goes where the comment it answers is (the intents find the
 * comment in the room or answer 404), so only comments are placed.
 */
import type { Target } from '@randnoter/shared/model/annotation';
import { HttpApi, pathOf } from '@randnoter/shared/protocol/http-api';
import { Refusal, RefusalKind } from '../refusal.ts';
import { closedItemsOf } from '../storage/closed-items.ts';
import { itemOfTarget, type OutlineDeps, placingOutline } from './place-target.ts';

export interface IntentRoom {
  /** The storage name of the room the intent was sent to. */
  name: string;
  groupId: string;
  packetId: string;
  /** A closed item's room: its number; null: the group's open room. */
  itemNumber: number | null;
}

/** Throws a conflict Refusal when a new comment sent to `room` belongs in another room. */
export async function refuseMisplaced(
  deps: OutlineDeps,
  room: IntentRoom,
  draft: { kind: string; target: Target },
  userId: string,
): Promise<void> {
  if (draft.kind !== 'comment') return;
  const { groupId, packetId } = room;
  const closed = new Set((await closedItemsOf(deps.db, groupId, packetId)).map((i) => i.itemNumber));
  const openRoom = pathOf(HttpApi.createAnnotation.path, { groupId, packetId });
  const closedRoom = (item: number) => pathOf(HttpApi.createClosedAnnotation.path, { groupId, packetId, itemNumber: String(item) });
  if (room.itemNumber === null) {
    if (closed.size === 0) return;
    // The agenda is looked up only when the target does not name its item.
    const outline = draft.target.agendaItem ? undefined : await placingOutline(deps, room.name, packetId, userId);
    const item = itemOfTarget(draft.target, outline);
    if (item !== null && closed.has(item))
      throw new Refusal(RefusalKind.conflict, `the comment is on agenda item ${item}, which is closed: send it to ${closedRoom(item)}`);
    return;
  }
  const named = draft.target.agendaItem?.number;
  if (named === undefined || named === room.itemNumber) return;
  const belongs = closed.has(named) ? closedRoom(named) : openRoom;
  throw new Refusal(
    RefusalKind.conflict,
    `target.agendaItem is item ${named}, not the closed item ${room.itemNumber}: send it to ${belongs}`,
  );
}
