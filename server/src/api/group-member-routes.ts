/**
 * GET /api/groups/:groupId/members: the group's members, for a secretary choosing whom to exclude
 * from a closed item (docs/CLOSED-ITEMS.md). A non-member and a bad id get the 404 of a group that
 * does not exist, a member who is not a secretary 403: the route is the secretary's tool.
 *
 * GET /api/groups/:groupId/audience and …/packets/:packetId/items/:itemNumber/audience: whom a
 * comment there can mention (docs/NOTIFICATIONS.md), for any member who may read there: the
 * people who see the comments anyway, {id, name} only. A closed item's audience answers 404 to
 * everyone who may not read the item, as its other routes do.
 */
import { type GroupMember, HttpApi } from '@randnoter/shared/protocol/http-api';
import { isId } from '@randnoter/shared/protocol/rooms';
import { Hono, type MiddlewareHandler } from 'hono';
import { audienceOf } from '../notifications/audience.ts';
import { isMember, memberAccessOf, membersOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { closedRoom } from './closed-room.ts';

/** Lets a secretary of the group named by `:groupId` through; checked before anything else about the request. */
function groupSecretary(deps: Pick<ApiDeps, 'db'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const groupId = c.req.param('groupId');
    const access = isId(groupId) ? await memberAccessOf(deps.db, groupId, c.get('user').id) : undefined;
    if (access === undefined) return c.json(NOT_FOUND, 404);
    if (access.role !== 'secretary') return c.json({ error: "only a secretary of the group may list the group's members" }, 403);
    await next();
  };
}

export function groupMemberRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get(HttpApi.groupMembers.path, groupSecretary(deps), async (c) => {
    const members: GroupMember[] = await membersOf(deps.db, c.req.param('groupId') as string);
    return c.json({ members }, 200);
  });
  app.get(HttpApi.groupAudience.path, async (c) => {
    const groupId = c.req.param('groupId');
    if (!isId(groupId) || !(await isMember(deps.db, groupId, c.get('user').id))) return c.json(NOT_FOUND, 404);
    return c.json({ members: await audienceOf(deps.db, { groupId, packetId: '', itemNumber: null }) }, 200);
  });
  app.get(HttpApi.closedAudience.path, closedRoom(deps), async (c) => {
    const { groupId, packetId, itemNumber } = c.get('room');
    return c.json({ members: await audienceOf(deps.db, { groupId, packetId, itemNumber }) }, 200);
  });
  return app;
}
