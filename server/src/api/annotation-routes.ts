/**
 * Annotations over HTTP (paths and bodies: shared/protocol/http-api.ts).
 *   GET    /api/notes/:packetId/annotations                       the user's own notes (W3C collection)
 *   GET    /api/groups/:groupId/packets/:packetId/annotations     a group's shared comments (W3C collection)
 *   POST   /api/groups/:groupId/packets/:packetId/annotations     intents: create (idempotent on id)
 *   PATCH  /api/groups/:groupId/packets/:packetId/annotations/:id edit own / resolve
 *   DELETE /api/groups/:groupId/packets/:packetId/annotations/:id delete own (tombstone)
 * The same four at /api/groups/:groupId/packets/:packetId/items/:itemNumber/annotations: a closed
 * agenda item's comments, in a room of its own (docs/CLOSED-ITEMS.md).
 * Shared routes answer non-members exactly as they answer a group or packet that does not exist,
 * and a closed item's routes answer so everyone who may not read the item (closedRoom). The room
 * is resolved before the body is read, so a 400 never tells a stranger that a room exists.
 */
import { annotationsOf, readAnnotation, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { toCollection, toWebAnnotation } from '@randnoter/shared/model/web-annotation';
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { refuseMisplaced } from '../closed-items/misplaced.ts';
import type { PacketGate } from '../closed-items/packet-gate.ts';
import { createInShared, deleteInShared, editInShared, type IntentOutcome } from '../intents/apply-intent.ts';
import { SharedRoomQuotas } from '../intents/author-usage.ts';
import { threadFacts } from '../notifications/thread-facts.ts';
import { packetView, roomCheck, sourceOf } from '../packets/packet-view.ts';
import { Refusal, RefusalKind } from '../refusal.ts';
import { mayReadClosed } from '../storage/closed-items.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { closedRoom } from './closed-room.ts';
import { jsonBody } from './json-body.ts';
import { sharedRoom } from './shared-room.ts';

export function annotationRoutes(deps: ApiDeps, gate: PacketGate): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = () => deps.clock().toISOString();
  const quotas = new SharedRoomQuotas(deps.sharedAuthorQuota);

  const open = sharedRoom(deps);
  const closed = closedRoom(deps);

  const change = async <T>(name: string, apply: (doc: Y.Doc) => T, options?: { evenWhenFull: boolean }): Promise<T> =>
    deps.rooms.use(name, (r) => r.change(apply, options));
  const answer = (c: Context, outcome: IntentOutcome) => {
    deps.metrics.intents++;
    return c.json(outcome.annotation, outcome.status);
  };

  /** The newest version of the packet the caller registered: what a note that does not say its version was made on. */
  const sourceFor = async (userId: string, packetId: string): Promise<string> => {
    const hasRoom = async (id: string) => roomCheck(deps.docs, userId, await groupsOf(deps.db, userId))(id);
    return sourceOf(await packetView(deps.db, userId, packetId, hasRoom), packetId);
  };

  const collection = async (c: Context, userId: string, room: string, packetId: string, label: string) => {
    const annotations = await deps.rooms.read(room, (doc) => readAnnotations(doc).filter((a) => !a.deleted));
    const source = await sourceFor(userId, packetId);
    const id = new URL(c.req.url).origin + c.req.path;
    return c.json(
      toCollection(
        annotations.map((a) => toWebAnnotation(a, source)),
        id,
        label,
      ),
      200,
      { 'content-type': 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"' },
    );
  };

  app.get(HttpApi.notes.path, async (c) => {
    const packetId = c.req.param('packetId');
    if (!isId(packetId)) return c.json(NOT_FOUND, 404);
    // The room is derived from the token: there is no way to name another user's notes.
    const userId = c.get('user').id;
    return collection(c, userId, storageName({ kind: 'notes', packetId }, userId), packetId, 'Noter');
  });

  const rooms = [
    {
      room: open,
      list: HttpApi.sharedAnnotations,
      create: HttpApi.createAnnotation,
      edit: HttpApi.editAnnotation,
      remove: HttpApi.deleteAnnotation,
    },
    {
      room: closed,
      list: HttpApi.closedAnnotations,
      create: HttpApi.createClosedAnnotation,
      edit: HttpApi.editClosedAnnotation,
      remove: HttpApi.deleteClosedAnnotation,
    },
  ] as const;

  for (const { room, list, create, edit, remove } of rooms) {
    app.get(list.path, room, async (c) => {
      const { name, groupId, packetId, itemNumber } = c.get('room');
      deps.access.opened(c.get('user').id, { groupId, packetId, itemNumber }, 'http');
      const label = itemNumber === null ? `Delte kommentarer: ${groupId}` : `Lukket punkt ${itemNumber}: ${groupId}`;
      return collection(c, c.get('user').id, name, packetId, label);
    });

    app.post(create.path, room, jsonBody(create.body), async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user');
      const target = c.get('room');
      const place = { groupId: target.groupId, packetId: target.packetId, itemNumber: target.itemNumber };
      // Placed and written with the packet's access held still (an item closing meanwhile waits, and so does this).
      const { outcome, facts } = await gate.shared(`${target.groupId}/${target.packetId}`, async () => {
        if (
          target.itemNumber !== null &&
          !(await mayReadClosed(
            deps.db,
            { kind: 'closed', groupId: target.groupId, packetId: target.packetId, itemNumber: target.itemNumber },
            user.id,
          ))
        )
          throw new Refusal(RefusalKind.notFound, NOT_FOUND.error);
        await refuseMisplaced(deps, target, body, user.id);
        // Mentions of anyone who cannot see the comment are dropped here, before it is stored.
        const mentions = await deps.notifier.keepVisible(place, body.mentions);
        const draft = { ...body, ...(mentions ? { mentions } : {}) };
        return change(target.name, (doc) => {
          const outcome = createInShared(doc, draft, { id: user.id, name: user.name }, now(), quotas);
          return { outcome, facts: threadFacts(doc, outcome.annotation) };
        });
      });
      // Also on a retry (200): a notification lost to a crash after the commit is made now, and none twice.
      await deps.notifier.created(place, outcome.annotation, facts);
      return answer(c, outcome);
    });

    app.patch(edit.path, room, jsonBody(edit.body), async (c) => {
      const patch = c.req.valid('json');
      const id = c.req.param('id');
      const target = c.get('room');
      const place = { groupId: target.groupId, packetId: target.packetId, itemNumber: target.itemNumber };
      const mentions = await deps.notifier.keepVisible(place, patch.mentions);
      const { outcome, before } = await change(target.name, (doc) => {
        const entry = annotationsOf(doc).get(id);
        const before = (entry && readAnnotation(entry)?.mentions) ?? [];
        return { outcome: editInShared(doc, id, { ...patch, mentions }, c.get('user'), now(), quotas), before };
      });
      if (mentions !== undefined) await deps.notifier.mentionsEdited(place, outcome.annotation, before);
      return answer(c, outcome);
    });

    app.delete(remove.path, room, async (c) => {
      const id = c.req.param('id');
      const target = c.get('room');
      // A delete frees space: it goes through even when the room is at its size cap.
      const outcome = await change(target.name, (doc) => deleteInShared(doc, id, c.get('user').id, now()), { evenWhenFull: true });
      await deps.notifier.deleted({ groupId: target.groupId, packetId: target.packetId, itemNumber: target.itemNumber }, id);
      // The deleted words are still in the room's update log: folded away now (the snapshot is
      // encoded from the garbage-collected document), not at the next due compaction
      // (docs/OPERATIONS.md, "Erasure"). A busy room folds at its next quiet moment instead.
      deps.rooms
        .peek(target.name)
        ?.compactWhenIdle()
        .catch((error: unknown) => deps.log.warn('compaction after a deletion failed', { error: String(error) }));
      return answer(c, outcome);
    });
  }

  return app;
}
