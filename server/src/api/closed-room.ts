/**
 * The room of a closed agenda item that a /api/groups/:groupId/packets/:packetId/items/:itemNumber/…
 * request names, resolved before anything else about it is looked at: anyone who may not read the
 * item (not a member, no closed access, excluded, or the item is not closed) gets the 404 of a
 * group that does not exist, before the body is read. The route finds the room as `c.get('room')`,
 * as the group's open-room routes do (shared-room.ts), so the intents are the same code.
 */
import { isId, parseItemNumber, storageName } from '@randnoter/shared/protocol/rooms';
import type { MiddlewareHandler } from 'hono';
import { mayReadClosed } from '../storage/closed-items.ts';
import type { ApiDeps, SharedRoomEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';

export function closedRoom(deps: Pick<ApiDeps, 'db'>): MiddlewareHandler<SharedRoomEnv> {
  return async (c, next) => {
    const groupId = c.req.param('groupId');
    const packetId = c.req.param('packetId');
    const itemNumber = parseItemNumber(c.req.param('itemNumber'));
    const user = c.get('user');
    if (!isId(groupId) || !isId(packetId) || itemNumber === null) return c.json(NOT_FOUND, 404);
    const ref = { kind: 'closed', groupId, packetId, itemNumber } as const;
    if (!(await mayReadClosed(deps.db, ref, user.id))) return c.json(NOT_FOUND, 404);
    c.set('room', { name: storageName(ref, user.id), groupId, packetId, itemNumber });
    await next();
  };
}
