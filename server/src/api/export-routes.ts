/**
 * GET /api/packets/:packetId/export?format=md|html|docx|csv|jsonld|overview-pdf[&group=ID…][&items=all][&lang=en]
 * (the query's schema: shared/protocol/http-api.ts)
 *
 * The Overblik of a packet from what the server holds: the caller's own notes (the room is taken
 * from the token, so no parameter can name another user's notes) and the shared comments of the
 * groups asked for (default: every group the caller is in). A group the caller is not a member of
 * answers 404, exactly like one that does not exist. Comments on a group's closed agenda items
 * are included only for a caller who may read them (docs/CLOSED-ITEMS.md), in a section of their
 * own on pages marked "Lukket punkt – fortroligt"; for anyone else nothing of them is there. The server has no copy of the PDF, so notes
 * stay where they were stored, and the annotated packet (`pdf`) is refused: the extension and
 * `randnoter export`, which have the PDF, make it. Title and agenda are the caller's view of the
 * packet (packet-view.ts): what they registered, never what another user did.
 *
 * Exports render in worker threads (server/src/export/), never on the event loop that relays
 * everyone's notes: a 10,000-note overview PDF takes seconds of CPU and hundreds of MB. The
 * limits (docs/SECURITY.md, "A signed-in user: exports"): one export per user at a time (429),
 * a bounded number per process with a bounded queue (503), a time limit (504), a memory limit
 * and a largest file (503).
 */
import { exportFileName } from '@randnoter/shared/export/export-file-name';
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { Hono, type MiddlewareHandler } from 'hono';
import type { GroupRoom } from '../access-log/access-log-writer.ts';
import { attachmentDisposition } from '../export/content-disposition.ts';
import type { ExportJob } from '../export/export-job.ts';
import { ownedRoom } from '../export/export-job.ts';
import type { ExportPool } from '../export/export-pool.ts';
import { ExportRefused, RefusalReason } from '../export/export-refused.ts';
import { sendOnce } from '../export/send-once.ts';
import { ownDataJson } from '../own-data/own-data-json.ts';
import { OwnRoomThread } from '../own-data/own-room-thread.ts';
import { packetView, roomCheck, sourceOf } from '../packets/packet-view.ts';
import { closedItemsOf, mayReadClosed } from '../storage/closed-items.ts';
import type { Group, User } from '../storage/schema.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { queryOf } from './json-body.ts';

export interface ExportDeps extends ApiDeps {
  /** The export worker threads, within the export limits. */
  exports: ExportPool;
  /** Own-data exports (GET /api/me/export): how many at once in this process (past it 503), and the heap of each one's worker thread. */
  ownData: { concurrency: number; maxMemoryMb: number };
}

/** The groups an export includes, and every group of the caller's (for what they see of the packet). */
type ExportEnv = { Variables: { user: User; groups: Group[]; memberOf: Group[] } };

/** What a user whose export is under way is told to wait before the next. */
const USER_BUSY_RETRY_AFTER_S = 5;

export function exportRoutes(deps: ExportDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  /** Users with an export under way: waiting, rendering, or being sent (of a packet or of their own data). */
  const busy = new Set<string>();
  /** Own-data exports being made now. */
  let ownDataRunning = 0;

  // Membership first: a stranger learns nothing about a group's rooms, not even from a 400 about the query.
  const groupsAsked: MiddlewareHandler<ExportEnv> = async (c, next) => {
    if (!isId(c.req.param('packetId'))) return c.json(NOT_FOUND, 404);
    const memberOf = await groupsOf(deps.db, c.get('user').id);
    const asked = c.req.queries('group') ?? [];
    const groups = asked.length === 0 ? memberOf : memberOf.filter((g) => asked.includes(g.id));
    if (asked.some((id) => !groups.some((g) => g.id === id))) return c.json(NOT_FOUND, 404);
    c.set('groups', groups);
    c.set('memberOf', memberOf);
    await next();
  };

  app.get(HttpApi.exportPacket.path, groupsAsked, queryOf(HttpApi.exportPacket.query), async (c) => {
    const packetId = c.req.param('packetId');
    const user = c.get('user');
    const groups = c.get('groups');
    const memberOf = c.get('memberOf');
    const { format, lang: language, items } = c.req.valid('query');

    if (busy.has(user.id)) {
      deps.metrics.recordExportRefusal(RefusalReason.userBusy);
      deps.log.warn('export refused', { user: user.id, format, reason: RefusalReason.userBusy });
      return c.json({ error: 'you already have an export under way: try again when it has arrived' }, 429, {
        'retry-after': String(USER_BUSY_RETRY_AFTER_S),
      });
    }

    /** The group rooms whose comments the file holds, for the access log once it has been made. */
    const included: GroupRoom[] = [];
    /** Named like the extension's (meeting date, committee, title) once the packet is read. */
    let fileName = `overblik-${packetId}`;
    // Read when a worker is free, not before: a waiting export holds no room data. Only the
    // stored bytes are read here (a few ms for a 10,000-note room); the worker builds the docs.
    const readJob = async (): Promise<Omit<ExportJob, 'maxBytes'>> => {
      const room = async (name: string) => ownedRoom(await deps.docs.load(name));
      const notes = await room(storageName({ kind: 'notes', packetId }, user.id));
      const shared: ExportJob['shared'] = [];
      const closed: ExportJob['closed'] = [];
      for (const group of groups) {
        included.push({ groupId: group.id, packetId, itemNumber: null });
        shared.push({
          group: { id: group.id, name: group.name },
          room: await room(storageName({ kind: 'shared', groupId: group.id, packetId }, user.id)),
        });
        // Closed items only for those who may read them; for anyone else they are not there at all.
        for (const { itemNumber } of await closedItemsOf(deps.db, group.id, packetId)) {
          const ref = { kind: 'closed', groupId: group.id, packetId, itemNumber } as const;
          if (!(await mayReadClosed(deps.db, ref, user.id))) continue;
          included.push({ groupId: group.id, packetId, itemNumber });
          closed.push({ group: { id: group.id, name: group.name }, itemNumber, room: await room(storageName(ref, user.id)) });
        }
      }
      // Title and agenda as the caller registered them: nobody else's registration shows here.
      const view = await packetView(deps.db, user.id, packetId, roomCheck(deps.docs, user.id, memberOf));
      const source = sourceOf(view, packetId);
      const title = view.title || packetId;
      const committees = groups.map((g) => g.name);
      fileName = exportFileName({ title, meetingDate: view.meetingDate, committees, source, format, language });
      return {
        format,
        title,
        notes,
        shared,
        closed,
        outline: view.outline ?? null,
        pageCount: view.pageCount,
        source,
        packetVersion: source.startsWith('urn:x-pdf:') ? source : null,
        collectionId: new URL(c.req.url).origin + c.req.path,
        language,
        includeEmptyItems: items === 'all',
        now: deps.clock().toISOString(),
      };
    };

    busy.add(user.id);
    let sending = false;
    try {
      const result = await deps.exports.run(readJob, c.req.raw.signal);
      for (const room of included) deps.access.exported(user.id, room, format, 'http');
      // The user's turn ends once the file has left (or the client has): until then the server holds it.
      const body = sendOnce(result.bytes, () => busy.delete(user.id));
      sending = true;
      return c.body(body, 200, {
        'content-type': result.mediaType,
        'content-length': String(result.bytes.byteLength),
        'content-disposition': attachmentDisposition(fileName),
        'cache-control': 'no-store',
        // (Every answer carries a policy under which an HTML export opened from here runs nothing: app.ts.)
      });
    } catch (error) {
      if (!(error instanceof ExportRefused)) {
        if (c.req.raw.signal.aborted) return c.json({ error: 'the request was closed before the export started' }, 408);
        throw error;
      }
      const cause = error.cause === undefined ? {} : { cause: String(error.cause) };
      deps.log.warn('export refused', { user: user.id, format, reason: error.reason, ...cause });
      return c.json({ error: error.message }, error.status, error.retryAfterS === null ? {} : { 'retry-after': String(error.retryAfterS) });
    } finally {
      if (!sending) busy.delete(user.id);
    }
  });

  // Everything stored about the caller (docs/PROTOCOL.md, "Own-data export"): streamed as it is
  // read, one room at a time, so a person with many rooms costs one room's memory.
  app.get(HttpApi.ownData.path, async (c) => {
    const user = c.get('user');
    if (busy.has(user.id)) {
      deps.log.warn('export refused', { user: user.id, format: 'own-data', reason: RefusalReason.userBusy });
      return c.json({ error: 'you already have an export under way: try again when it has arrived' }, 429, {
        'retry-after': String(USER_BUSY_RETRY_AFTER_S),
      });
    }
    if (ownDataRunning >= deps.ownData.concurrency) {
      deps.log.warn('export refused', { user: user.id, format: 'own-data', reason: 'busy' });
      return c.json({ error: 'the server is busy with other exports: try again in a little while' }, 503, {
        'retry-after': String(OWN_DATA_RETRY_AFTER_S),
      });
    }
    busy.add(user.id);
    ownDataRunning++;
    // The rooms' Y.Docs are built in a thread of the export's own, never on this event loop.
    const thread = new OwnRoomThread(deps.ownData.maxMemoryMb);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      busy.delete(user.id);
      ownDataRunning--;
      void thread.destroy();
    };
    // Logged as it starts: a download left half-way has still handed over what it had.
    deps.access.ownData(user.id, 'http');
    const pieces = ownDataJson({ ...deps, readRoom: thread.read }, user.id);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await pieces.next();
          if (next.done) {
            controller.close();
            finish();
          } else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          // After a cancel the thread is gone on purpose: nothing failed.
          if (!done) deps.log.error('own-data export failed', { user: user.id, error: String(error) });
          controller.error(error);
          finish();
        }
      },
      async cancel() {
        finish();
        await pieces.return(undefined);
      },
    });
    const day = deps.clock().toISOString().slice(0, 10);
    return c.body(body, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(`randnoter-mine-data-${day}.json`),
      'cache-control': 'no-store',
    });
  });

  return app;
}

/** What a caller is told to wait when the process is making as many own-data exports as it may. */
const OWN_DATA_RETRY_AFTER_S = 10;
