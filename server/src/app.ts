/**
 * HTTP routes. Everything under /api needs `Authorization: Bearer <token>`; shared-room routes
 * answer 404 to non-members so that a group's packets are not revealed.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import { parseAnnotationDraft, parseBody, parseColor } from '@randnoter/shared/model/annotation';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import { type Authenticate, bearerToken } from './auth/authenticate.ts';
import { createInShared, deleteInShared, editInShared, type IntentOutcome, type SharedPatch } from './intents/apply-intent.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { parseRegistration, registerPacket } from './packets/register-packet.ts';
import type { Database, User } from './storage/schema.ts';
import { groupsOf, isMember } from './storage/users.ts';
import { RoomError } from './sync/room.ts';
import type { Rooms } from './sync/rooms.ts';

export interface AppDeps {
  db: Kysely<Database>;
  rooms: Rooms;
  authenticate: Authenticate;
  log: Logger;
  metrics: Metrics;
  clock: () => Date;
  /** Largest accepted JSON body. */
  maxBodyBytes: number;
  /** Folder served read-only at /demo/ (the demo packet of `npm start`), if any. */
  demoDir?: string;
}

type Env = { Variables: { user: User } };

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = () => deps.clock().toISOString();

  app.onError((error, c) => {
    if (error instanceof RoomError) return c.json({ error: error.message }, error.status as 400);
    deps.log.error('request failed', { path: c.req.path, error: String(error) });
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/metrics', (c) => c.text(deps.metrics.render(deps.rooms.loadedCount), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  if (deps.demoDir) {
    const root = deps.demoDir;
    app.get('/demo/:file', async (c) => {
      const file = c.req.param('file');
      const type = CONTENT_TYPES[extname(file)];
      if (!type || file !== normalize(file) || file.includes('/')) return c.json({ error: 'not found' }, 404);
      try {
        return c.body(new Uint8Array(await readFile(join(root, file))), 200, { 'content-type': type });
      } catch {
        return c.json({ error: 'not found' }, 404);
      }
    });
  }

  app.use('/api/*', bodyLimit({ maxSize: deps.maxBodyBytes, onError: (c) => c.json({ error: 'request body too large' }, 413) }));
  app.use('/api/*', async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const user = token ? await deps.authenticate(token) : undefined;
    if (!user) return c.json({ error: 'missing, unknown or revoked token' }, 401, { 'www-authenticate': 'Bearer' });
    c.set('user', user);
    await next();
  });

  app.get('/api/me', async (c) => {
    const user = c.get('user');
    const groups = await groupsOf(deps.db, user.id);
    return c.json({ id: user.id, name: user.name, groups: groups.map((g) => ({ id: g.id, name: g.name })) });
  });

  app.post('/api/packets', async (c) => {
    const parsed = parseRegistration(await readJson(c));
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    // A new packet is named after its first version, the id an offline client already uses for it.
    const result = await registerPacket(deps.db, parsed.value, now(), () => provisionalPacketId(parsed.value.fingerprint));
    return c.json(result, result.created ? 201 : 200);
  });

  const sharedRoom = async (c: Context<Env>) => {
    const { groupId, packetId } = c.req.param() as { groupId: string; packetId: string };
    if (!isId(groupId) || !isId(packetId) || !(await isMember(deps.db, groupId, c.get('user').id))) return null;
    return deps.rooms.get(storageName({ kind: 'shared', groupId, packetId }, c.get('user').id));
  };
  const answer = (c: Context<Env>, outcome: IntentOutcome) => {
    deps.metrics.intents++;
    return c.json(outcome.annotation, outcome.status);
  };

  app.post('/api/groups/:groupId/packets/:packetId/annotations', async (c) => {
    const room = await sharedRoom(c);
    if (!room) return c.json({ error: 'not found' }, 404);
    const draft = parseAnnotationDraft(await readJson(c));
    if (!draft.ok) return c.json({ error: draft.error }, 400);
    const user = c.get('user');
    return answer(c, await room.change((doc) => createInShared(doc, draft.value, { id: user.id, name: user.name }, now())));
  });

  app.patch('/api/groups/:groupId/packets/:packetId/annotations/:id', async (c) => {
    const room = await sharedRoom(c);
    if (!room) return c.json({ error: 'not found' }, 404);
    const patch = parsePatch(await readJson(c));
    if ('error' in patch) return c.json({ error: patch.error }, 400);
    const id = c.req.param('id');
    return answer(c, await room.change((doc) => editInShared(doc, id, patch, c.get('user').id, now())));
  });

  app.delete('/api/groups/:groupId/packets/:packetId/annotations/:id', async (c) => {
    const room = await sharedRoom(c);
    if (!room) return c.json({ error: 'not found' }, 404);
    const id = c.req.param('id');
    return answer(c, await room.change((doc) => deleteInShared(doc, id, c.get('user').id, now())));
  });

  return app;
}

const INVALID_JSON = Symbol('invalid json');

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return INVALID_JSON;
  }
}

function parsePatch(v: unknown): SharedPatch | { error: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'expected a JSON object' };
  const r = v as Record<string, unknown>;
  const patch: SharedPatch = {};
  if (r.body !== undefined) {
    const body = parseBody(r.body);
    if (!body.ok) return { error: body.error };
    patch.body = body.value;
  }
  if (r.resolved !== undefined) {
    if (typeof r.resolved !== 'boolean') return { error: 'resolved must be true or false' };
    patch.resolved = r.resolved;
  }
  if (r.color !== undefined) {
    const color = parseColor(r.color);
    if (!color.ok) return { error: color.error };
    patch.color = color.value;
  }
  if (Object.keys(patch).length === 0) return { error: 'nothing to change: send body, resolved or color' };
  return patch;
}
