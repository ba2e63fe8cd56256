/**
 * GET /api/groups/:groupId/members: the group's members, for a secretary choosing whom to exclude
 * from a closed item (docs/CLOSED-ITEMS.md). A non-member and a bad id get the 404 of a group that
 * does not exist, a member who is not a secretary 403: who else is in a group is not every
 * member's business.
 */
import { type GroupMember, HttpApi } from '@randnoter/shared/protocol/http-api';
import { isId } from '@randnoter/shared/protocol/rooms';
import { Hono, type MiddlewareHandler } from 'hono';
import { memberAccessOf, membersOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';

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
  return app;
}
