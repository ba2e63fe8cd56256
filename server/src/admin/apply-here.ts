/**
 * An administrator's room change applied by the command itself, when no server took it on: the
 * same code as a server's (applyAdminRequest), through rooms of this process's own that are
 * compacted and closed before the command ends.
 */
import { DEFAULT_LIMITS } from '../config.ts';
import { silentLogger } from '../log.ts';
import type { AdminRequest } from '../storage/admin-requests.ts';
import type { OpenedDatabase } from '../storage/database.ts';
import { Rooms } from '../sync/rooms.ts';
import { applyAdminRequest } from './room-requests.ts';

export async function applyHere({ db, docs }: OpenedDatabase, request: AdminRequest): Promise<string> {
  const rooms = new Rooms({
    storage: {
      load: (room, after) => docs.load(room, after),
      append: (rows) => docs.append(rows),
      appendExclusive: (room, after, build) => docs.appendExclusive(room, after, build),
      compact: (room, snapshot, seq) => docs.compact(room, snapshot, seq),
      storedBytes: (prefix) => docs.storedBytes(prefix),
      rewrite: (names, build, alongside) => docs.rewrite(names, build, alongside),
    },
    limits: DEFAULT_LIMITS,
    log: silentLogger,
    idleUnloadMs: 0,
  });
  try {
    return await applyAdminRequest(db, rooms, request, new Date().toISOString());
  } finally {
    await rooms.destroy();
  }
}
