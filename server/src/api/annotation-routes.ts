/**
 * Annotations over HTTP (paths and bodies: shared/protocol/http-api.ts).
 *   GET    /api/notes/:packetId/annotations                       the user's own notes (W3C collection)
 *   GET    /api/groups/:groupId/packets/:packetId/annotations     a group's shared comments (W3C collection)
 *   POST   /api/groups/:groupId/packets/:packetId/annotations     intents: create (idempotent on id)
 *   PATCH  /api/groups/:groupId/packets/:packetId/annotations/:id edit own / resolve
 *   DELETE /api/groups/:groupId/packets/:packetId/annotations/:id delete own (tombstone)
 * Shared routes answer non-members exactly as they answer a group or packet that does not exist.
 * The room is resolved before the body is read (sharedRoom), so a 400 never tells a stranger that a room exists.
 */
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { toCollection, toWebAnnotation } from '@randnoter/shared/model/web-annotation';
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { createInShared, deleteInShared, editInShared, type IntentOutcome } from '../intents/apply-intent.ts';
import { SharedRoomQuotas } from '../intents/author-usage.ts';
import { packetView, roomCheck, sourceOf } from '../packets/packet-view.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { jsonBody } from './json-body.ts';
import { sharedRoom } from './shared-room.ts';

export function annotationRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = () => deps.clock().toISOString();
  const quotas = new SharedRoomQuotas(deps.sharedAuthorQuota);

  const room = sharedRoom(deps);

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

  app.get(HttpApi.sharedAnnotations.path, room, async (c) => {
    const { name, groupId, packetId } = c.get('room');
    return collection(c, c.get('user').id, name, packetId, `Delte kommentarer: ${groupId}`);
  });

  app.post(HttpApi.createAnnotation.path, room, jsonBody(HttpApi.createAnnotation.body), async (c) => {
    const draft = c.req.valid('json');
    const user = c.get('user');
    return answer(
      c,
      await change(c.get('room').name, (doc) => createInShared(doc, draft, { id: user.id, name: user.name }, now(), quotas)),
    );
  });

  app.patch(HttpApi.editAnnotation.path, room, jsonBody(HttpApi.editAnnotation.body), async (c) => {
    const patch = c.req.valid('json');
    const id = c.req.param('id');
    return answer(c, await change(c.get('room').name, (doc) => editInShared(doc, id, patch, c.get('user'), now(), quotas)));
  });

  app.delete(HttpApi.deleteAnnotation.path, room, async (c) => {
    const id = c.req.param('id');
    // A delete frees space: it goes through even when the room is at its size cap.
    return answer(c, await change(c.get('room').name, (doc) => deleteInShared(doc, id, c.get('user').id, now()), { evenWhenFull: true }));
  });

  return app;
}
