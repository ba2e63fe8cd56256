/**
 * Administrators' changes to rooms (remove a comment, reset a room), applied like every other
 * write: through the room, so a running server's live document, its peers and the other server
 * processes all see them. The command line stores a request (admin-requests.ts); a running server
 * takes it on within a second (watchAdminRequests); with no server running, the command applies
 * it itself through rooms of its own (cli/admin.ts).
 */
import { parseStorageName } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import { removeInShared } from '../intents/apply-intent.ts';
import type { Logger } from '../log.ts';
import { Refusal } from '../refusal.ts';
import { type AdminRequest, claimOpenAdminRequests, finishAdminRequest } from '../storage/admin-requests.ts';
import { forgetComment } from '../storage/notifications.ts';
import type { Database } from '../storage/schema.ts';
import type { Rooms } from '../sync/rooms.ts';

/** Applies one request to `rooms` (and to the notifications in `db`); returns the line the command prints. */
export async function applyAdminRequest(db: Kysely<Database>, rooms: Rooms, request: AdminRequest, now: string): Promise<string> {
  const room = parseStorageName(request.room);
  if (!room)
    return `error: ${request.room} names no room (notes/<user>/<packet>, shared/<group>/<packet> or closed/<group>/<packet>/<item>)`;
  try {
    if (request.kind === 'reset-room') {
      await rooms.reset(request.room);
      return `Reset ${request.room}: it is empty now`;
    }
    if (room.kind === 'notes') return 'error: comments are removed from shared rooms; a notes room is its owner’s';
    // A removal frees space: it goes through even when the room is at its size cap.
    await rooms.use(request.room, (r) => r.change((doc) => removeInShared(doc, request.annotationId, now), { evenWhenFull: true }));
    // The notifications about it go with it, as with an author's own delete.
    await forgetComment(db, room.groupId, room.packetId, request.annotationId);
    return `Removed comment ${request.annotationId} from ${request.room}`;
  } catch (error) {
    if (error instanceof Refusal) return `error: ${error.message}`;
    throw error;
  }
}

/** A running server's side: takes on the requests nobody took, every `intervalMs`. */
export function watchAdminRequests(options: {
  db: Kysely<Database>;
  rooms: Rooms;
  log: Logger;
  /** Who takes them on, as recorded (e.g. `server 1234@host`). */
  claimer: string;
  clock: () => Date;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  const { db, rooms, log, claimer, clock } = options;
  let running: Promise<void> | null = null;
  const poll = async () => {
    for (const { id, request } of await claimOpenAdminRequests(db, claimer, clock().toISOString())) {
      const result = request
        ? await applyAdminRequest(db, rooms, request, clock().toISOString())
        : 'error: a request this server does not know';
      log.info('administrator request applied', { id, kind: request?.kind ?? 'unknown', result });
      await finishAdminRequest(db, id, result, clock().toISOString());
    }
  };
  const timer = setInterval(() => {
    running ??= poll()
      .catch((error: unknown) => log.warn('reading administrator requests failed', { error: String(error) }))
      .finally(() => {
        running = null;
      });
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
