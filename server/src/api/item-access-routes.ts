/**
 * Closed agenda items (docs/CLOSED-ITEMS.md; shared/protocol/http-api.ts):
 *   PUT /api/groups/:groupId/packets/:packetId/items/:itemNumber/access   a secretary closes or opens an item
 *   GET /api/groups/:groupId/packets/:packetId/closed-items               which items are closed, and which the caller may read
 * A non-member gets the 404 of a group that does not exist, a member who is not a secretary 403,
 * both before the body is read. Every change is audited (storage/closed-items.ts) and takes
 * effect on open sockets at once (closedAccessChanged).
 */
import { HttpApi, type ItemAccess } from '@randnoter/shared/protocol/http-api';
import { parseItemNumber } from '@randnoter/shared/protocol/rooms';
import { Hono, type MiddlewareHandler } from 'hono';
import { changeItemAccess } from '../closed-items/change-access.ts';
import type { PacketGate } from '../closed-items/packet-gate.ts';
import { closedItemsOf } from '../storage/closed-items.ts';
import { isMember, memberAccessOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv, SharedRoomEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { jsonBody } from './json-body.ts';
import { sharedRoom } from './shared-room.ts';

export function itemAccessRoutes(deps: ApiDeps, gate: PacketGate): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const room = sharedRoom(deps);

  const secretary: MiddlewareHandler<SharedRoomEnv> = async (c, next) => {
    const access = await memberAccessOf(deps.db, c.get('room').groupId, c.get('user').id);
    if (access?.role !== 'secretary') return c.json({ error: 'only a secretary of the group may close or open an agenda item' }, 403);
    if (parseItemNumber(c.req.param('itemNumber')) === null) return c.json(NOT_FOUND, 404);
    await next();
  };

  app.put(HttpApi.setItemAccess.path, room, secretary, jsonBody(HttpApi.setItemAccess.body), async (c) => {
    const { closed, excluded } = c.req.valid('json');
    const { groupId, packetId } = c.get('room');
    const itemNumber = parseItemNumber(c.req.param('itemNumber')) as number;
    const user = c.get('user');
    for (const id of excluded) {
      if (!(await isMember(deps.db, groupId, id))) return c.json({ error: `excluded names ${id}, who is not a member of the group` }, 400);
    }
    if (!closed && excluded.length > 0) return c.json({ error: 'excluded must be empty when the item is opened' }, 400);
    // One change at a time per packet, and none while a new comment of the packet is being placed.
    const done = await gate.exclusive(`${groupId}/${packetId}`, () =>
      changeItemAccess(deps, { groupId, packetId, itemNumber, closed, excluded, actorId: user.id, at: deps.clock().toISOString() }),
    );
    // Answered once the change has taken effect: sockets that may no longer read the item are closed.
    await deps.closedAccessChanged();
    deps.log.info('item access changed', {
      group: groupId,
      packet: packetId,
      item: itemNumber,
      closed,
      excluded: excluded.length,
      moved: done.moved,
      user: user.id,
    });
    const answer: ItemAccess = { itemNumber, closed, excluded: [...excluded], moved: done.moved, by: user.id, at: done.at };
    return c.json(answer, 200);
  });

  app.get(HttpApi.closedItems.path, room, async (c) => {
    const { groupId, packetId } = c.get('room');
    const userId = c.get('user').id;
    const access = await memberAccessOf(deps.db, groupId, userId);
    const items = (await closedItemsOf(deps.db, groupId, packetId)).map((item) => ({
      itemNumber: item.itemNumber,
      mayRead: access?.closedAccess === true && !item.excluded.includes(userId),
      // Who has a conflict of interest is the secretariat's business.
      ...(access?.role === 'secretary' ? { excluded: item.excluded } : {}),
    }));
    return c.json({ items }, 200);
  });

  return app;
}
