/**
 * HTTP routes. Everything under /api needs `Authorization: Bearer <token>`; shared-room routes
 * answer 404 to non-members so that a group's packets are not revealed. Requests are logged by
 * route pattern, never by URL: nothing a client puts in a path or query reaches the log.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import { annotationRoutes } from './api/annotation-routes.ts';
import { type ApiEnv, NOT_FOUND } from './api/api-env.ts';
import { type ExportDeps, exportRoutes } from './api/export-routes.ts';
import { packetRoutes } from './api/packet-routes.ts';
import { type Authenticate, bearerToken } from './auth/authenticate.ts';
import { groupsOf } from './storage/users.ts';
import { RoomError } from './sync/room.ts';

export interface AppDeps extends ExportDeps {
  authenticate: Authenticate;
  /** Largest accepted JSON body. */
  maxBodyBytes: number;
  /** Folder served read-only at /demo/ (the demo packet of `npm start`), if any. */
  demoDir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

export function createApp(deps: AppDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.onError((error, c) => {
    if (error instanceof RoomError) return c.json({ error: error.message }, error.status as 400);
    deps.log.error('request failed', { method: c.req.method, route: c.req.routePath, error: String(error) });
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json(NOT_FOUND, 404));

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info('request', {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ ok: true, roomsLoaded: deps.rooms.loadedCount });
    } catch {
      return c.json({ ok: false, error: 'database unavailable' }, 503);
    }
  });
  app.get('/metrics', (c) => c.text(deps.metrics.render(deps.rooms.loadedCount), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  if (deps.demoDir) {
    const root = deps.demoDir;
    app.get('/demo/:file', async (c) => {
      const file = c.req.param('file');
      const type = CONTENT_TYPES[extname(file)];
      if (!type || file !== normalize(file) || file.includes('/')) return c.json(NOT_FOUND, 404);
      try {
        return c.body(new Uint8Array(await readFile(join(root, file))), 200, { 'content-type': type });
      } catch {
        return c.json(NOT_FOUND, 404);
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
  app.route('/api', packetRoutes(deps));
  app.route('/api', annotationRoutes(deps));
  app.route('/api', exportRoutes(deps));

  return app;
}
