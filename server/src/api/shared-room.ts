/**
 * The shared room a /api/groups/:groupId/packets/:packetId/… request names, resolved once per
 * request before anything else about it is looked at: a non-member, a bad id and an unknown group
 * all get the same 404 (existence is not revealed, not even by a 400 about the body), and the
 * route finds the room on the context (`c.get('room')`).
 */
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import type { MiddlewareHandler } from 'hono';
import { isMember } from '../storage/users.ts';
import type { ApiDeps, SharedRoomEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';

export function sharedRoom(deps: Pick<ApiDeps, 'db'>): MiddlewareHandler<SharedRoomEnv> {
  return async (c, next) => {
    const groupId = c.req.param('groupId');
    const packetId = c.req.param('packetId');
    const user = c.get('user');
    if (!isId(groupId) || !isId(packetId) || !(await isMember(deps.db, groupId, user.id))) return c.json(NOT_FOUND, 404);
    c.set('room', { name: storageName({ kind: 'shared', groupId, packetId }, user.id), groupId, packetId, itemNumber: null });
    await next();
  };
}
