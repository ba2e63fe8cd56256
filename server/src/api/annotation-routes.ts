/**
 * Annotations over HTTP.
 *   GET    /notes/:packetId/annotations                       the user's own notes (W3C collection)
 *   GET    /groups/:groupId/packets/:packetId/annotations     a group's shared comments (W3C collection)
 *   POST   /groups/:groupId/packets/:packetId/annotations     intents: create (idempotent on id)
 *   PATCH  /groups/:groupId/packets/:packetId/annotations/:id edit own / resolve
 *   DELETE /groups/:groupId/packets/:packetId/annotations/:id delete own (tombstone)
 * Shared routes answer non-members exactly as they answer a group or packet that does not exist.
 * Validation comes after the membership check, so a 400 never tells a stranger that a room exists.
 */
import { parseAnnotationDraft } from '@randnoter/shared/model/annotation';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { toCollection, toWebAnnotation } from '@randnoter/shared/model/web-annotation';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { createInShared, deleteInShared, editInShared, type IntentOutcome } from '../intents/apply-intent.ts';
import { SharedRoomQuotas } from '../intents/author-usage.ts';
import { parsePatch } from '../intents/parse-patch.ts';
import { packetView, roomCheck, sourceOf } from '../packets/packet-view.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { readJson } from './read-json.ts';
import { sharedRoomOf as sharedRoom } from './shared-room.ts';

export function annotationRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = () => deps.clock().toISOString();
  const quotas = new SharedRoomQuotas(deps.sharedAuthorQuota);

  const sharedRoomOf = (c: Context<ApiEnv>) => sharedRoom(deps, c);

  const change = async <T>(name: string, apply: (doc: Y.Doc) => T, options?: { evenWhenFull: boolean }): Promise<T> =>
    deps.rooms.use(name, (room) => room.change(apply, options));
  const answer = (c: Context<ApiEnv>, outcome: IntentOutcome) => {
    deps.metrics.intents++;
    return c.json(outcome.annotation, outcome.status);
  };

  /** The newest version of the packet the caller registered: what a note that does not say its version was made on. */
  const sourceFor = async (c: Context<ApiEnv>, packetId: string): Promise<string> => {
    const user = c.get('user');
    const hasRoom = async (id: string) => roomCheck(deps.docs, user.id, await groupsOf(deps.db, user.id))(id);
    return sourceOf(await packetView(deps.db, user.id, packetId, hasRoom), packetId);
  };

  const collection = async (c: Context<ApiEnv>, room: string, packetId: string, label: string) => {
    const annotations = await deps.rooms.read(room, (doc) => readAnnotations(doc).filter((a) => !a.deleted));
    const source = await sourceFor(c, packetId);
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

  app.get('/notes/:packetId/annotations', async (c) => {
    const packetId = c.req.param('packetId');
    if (!isId(packetId)) return c.json(NOT_FOUND, 404);
    // The room is derived from the token: there is no way to name another user's notes.
    return collection(c, storageName({ kind: 'notes', packetId }, c.get('user').id), packetId, 'Noter');
  });

  app.get('/groups/:groupId/packets/:packetId/annotations', async (c) => {
    const room = await sharedRoomOf(c);
    if (!room) return c.json(NOT_FOUND, 404);
    return collection(c, room.name, room.packetId, `Delte kommentarer: ${room.groupId}`);
  });

  app.post('/groups/:groupId/packets/:packetId/annotations', async (c) => {
    const room = await sharedRoomOf(c);
    if (!room) return c.json(NOT_FOUND, 404);
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: json.error }, 400);
    const draft = parseAnnotationDraft(json.value);
    if (!draft.ok) return c.json({ error: draft.error }, 400);
    const user = c.get('user');
    return answer(c, await change(room.name, (doc) => createInShared(doc, draft.value, { id: user.id, name: user.name }, now(), quotas)));
  });

  app.patch('/groups/:groupId/packets/:packetId/annotations/:id', async (c) => {
    const room = await sharedRoomOf(c);
    if (!room) return c.json(NOT_FOUND, 404);
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: json.error }, 400);
    const patch = parsePatch(json.value);
    if ('error' in patch) return c.json({ error: patch.error }, 400);
    const id = c.req.param('id');
    return answer(c, await change(room.name, (doc) => editInShared(doc, id, patch, c.get('user').id, now(), quotas)));
  });

  app.delete('/groups/:groupId/packets/:packetId/annotations/:id', async (c) => {
    const room = await sharedRoomOf(c);
    if (!room) return c.json(NOT_FOUND, 404);
    const id = c.req.param('id');
    // A delete frees space: it goes through even when the room is at its size cap.
    return answer(c, await change(room.name, (doc) => deleteInShared(doc, id, c.get('user').id, now()), { evenWhenFull: true }));
  });

  return app;
}
