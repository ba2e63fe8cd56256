/**
 * A secretary's change of an item's access (docs/CLOSED-ITEMS.md): stored, audited and, when the
 * item is closed or opened, its comments moved between the group's open room and the item's room,
 * all in one transaction. The rooms are held still meanwhile and dropped afterwards everywhere
 * (Rooms.rewrite): their readers reconnect to what was stored. A change of exclusions alone moves
 * nothing, unless comments on the item reached the open room anyway (another server process).
 */
import { storageName } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import { type AccessChange, closedItemsOf, writeItemAccess } from '../storage/closed-items.ts';
import type { DocStore, StoredDoc } from '../storage/doc-store.ts';
import type { Database } from '../storage/schema.ts';
import type { Rooms } from '../sync/rooms.ts';
import { countOnItem, moveBackToOpen, moveIntoClosed } from './move-comments.ts';
import { placingOutline } from './place-target.ts';

export interface ItemAccessDeps {
  db: Kysely<Database>;
  docs: DocStore;
  rooms: Rooms;
}

export type AccessRequest = Omit<AccessChange, 'moved'>;

export async function changeItemAccess(deps: ItemAccessDeps, request: AccessRequest): Promise<{ moved: number; at: string }> {
  const { groupId, packetId, itemNumber, closed, actorId } = request;
  const wasClosed = (await closedItemsOf(deps.db, groupId, packetId)).some((i) => i.itemNumber === itemNumber);
  const open = storageName({ kind: 'shared', groupId, packetId }, actorId);
  const room = storageName({ kind: 'closed', groupId, packetId, itemNumber }, actorId);
  // Which comments are on the item: by the agenda the secretary's side of the server knows (place-target.ts).
  const outline = closed ? await placingOutline(deps, open, packetId, actorId) : undefined;
  // Closed again (new exclusions, say): comments on the item that reached the open room anyway
  // (docs/CLOSED-ITEMS.md, "Limits") are moved now; with none, only the access changes.
  const stray = closed && wasClosed ? await deps.rooms.read(open, (doc) => countOnItem(doc, itemNumber, outline)) : 0;
  if (wasClosed === closed && stray === 0) {
    await deps.db.transaction().execute((trx) => writeItemAccess(trx, { ...request, moved: 0 }));
    return { moved: 0, at: request.at };
  }
  let moved = 0;
  const build = (stored: ReadonlyMap<string, StoredDoc>) => {
    const [openDoc, closedDoc] = [stored.get(open) as StoredDoc, stored.get(room) as StoredDoc];
    const states = closed ? moveIntoClosed(openDoc, closedDoc, itemNumber, outline) : moveBackToOpen(openDoc, closedDoc);
    moved = states.moved;
    return new Map([
      [open, states.open],
      [room, states.closed],
    ]);
  };
  await deps.rooms.rewrite([open, room], () =>
    deps.docs.rewrite([open, room], build, (trx) => writeItemAccess(trx, { ...request, moved })),
  );
  return { moved, at: request.at };
}
