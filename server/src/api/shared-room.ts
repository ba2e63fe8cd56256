/** The shared room a /api/groups/:groupId/packets/:packetId/… request names, for members only. */
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import type { Context } from 'hono';
import { isMember } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';

export interface SharedRoomRef {
  /** The storage name, `shared/<groupId>/<packetId>`. */
  name: string;
  groupId: string;
  packetId: string;
}

/** The room, or null for a non-member, a bad id or an unknown group: all answered with the same 404. */
export async function sharedRoomOf(deps: Pick<ApiDeps, 'db'>, c: Context<ApiEnv>): Promise<SharedRoomRef | null> {
  const { groupId, packetId } = c.req.param() as { groupId: string; packetId: string };
  if (!isId(groupId) || !isId(packetId) || !(await isMember(deps.db, groupId, c.get('user').id))) return null;
  return { name: storageName({ kind: 'shared', groupId, packetId }, c.get('user').id), groupId, packetId };
}
