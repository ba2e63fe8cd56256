/**
 * HTTP routes. Everything under /api needs `Authorization: Bearer <token>` and is a route of the
 * contract in shared/protocol/http-api.ts (api/ serves them); shared-room routes answer 404 to
 * non-members so that a group's packets are not revealed. Requests are logged by
 * route pattern, never by URL: nothing a client puts in a path or query reaches the log.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import { agendaRoutes } from './api/agenda-routes.ts';
import { annotationRoutes } from './api/annotation-routes.ts';
import { type ApiEnv, NOT_FOUND } from './api/api-env.ts';
import { erasureRoutes } from './api/erasure-routes.ts';
import { type ExportDeps, exportRoutes } from './api/export-routes.ts';
import { extensionCors } from './api/extension-cors.ts';
import { groupMemberRoutes } from './api/group-member-routes.ts';
import { itemAccessRoutes } from './api/item-access-routes.ts';
import { meRoutes } from './api/me-routes.ts';
import { notificationRoutes, unsubscribeRoute } from './api/notification-routes.ts';
import { packetRoutes } from './api/packet-routes.ts';
import { type Authenticate, bearerToken } from './auth/authenticate.ts';
import { PacketGate } from './closed-items/packet-gate.ts';
import { Refusal, RefusalKind } from './refusal.ts';
import type { DiskSpace } from './storage/disk-space.ts';
import { KeyedRate, type KeyedRateLimits } from './sync/keyed-rate.ts';

export interface AppDeps extends ExportDeps {
  authenticate: Authenticate;
  /** Largest accepted JSON body. */
  maxBodyBytes: number;
  /** Folder served read-only at /demo/ (the demo packet of `npm start`), if any. */
  demoDir?: string;
  /** Free bytes on the database's disk (SQLite), and below how many /health answers 503. */
  disk?: { free: DiskSpace; minFree: number };
  /** /auth/*: sign-in through OpenID Connect (auth/oidc/sign-in-routes.ts), when configured. */
  signIn?: Hono;
  /** How many requests one user may make of /api (a burst, then a steady rate; 429 past it). */
  apiRequestRate: KeyedRateLimits;
}

/** How HTTP says each refusal of the layers below (refusal.ts). */
const REFUSAL_STATUS = {
  [RefusalKind.invalid]: 400,
  [RefusalKind.forbidden]: 403,
  [RefusalKind.notFound]: 404,
  [RefusalKind.conflict]: 409,
  [RefusalKind.tooLarge]: 413,
  [RefusalKind.unavailable]: 503,
} as const satisfies Record<RefusalKind, number>;

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

export function createApp(deps: AppDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.onError((error, c) => {
    if (error instanceof Refusal) return c.json({ error: error.message }, REFUSAL_STATUS[error.kind]);
    // Hono's own refusals (a validator's, a body that cannot be read) keep the one shape of errors.
    if (error instanceof HTTPException && error.status < 500) return c.json({ error: error.message }, error.status);
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

  // Nothing the server sends is to be sniffed, framed or allowed to run script: JSON answers and
  // exports are data. The demo's agenda page and PDF get the same, less what the extension needs
  // there (its sidebar is a frame in the page, its viewer fetches the PDF).
  const headers = (csp: Record<string, string[]>) =>
    secureHeaders({
      contentSecurityPolicy: csp,
      crossOriginResourcePolicy: false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: 'no-referrer',
      xFrameOptions: false,
      strictTransportSecurity: false,
    });
  const strict = headers({ defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], frameAncestors: ["'none'"] });
  const demo = headers({ scriptSrc: ["'none'"], objectSrc: ["'none'"], baseUri: ["'none'"] });
  app.use('*', (c, next) => (c.req.path.startsWith('/demo/') ? demo(c, next) : strict(c, next)));
  // The extension's pages call these from their own origin (api/extension-cors.ts); preflights end here.
  const corsForExtension = extensionCors();
  app.use('/api/*', corsForExtension);
  app.use('/auth/*', corsForExtension);
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });

  const diskFree = async (): Promise<number | null> => (deps.disk ? deps.disk.free().catch(() => null) : null);
  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      return c.json({ ok: false, error: 'database unavailable' }, 503);
    }
    const free = await diskFree();
    const disk = free === null ? {} : { diskFreeBytes: free };
    if (deps.disk && free !== null && free < deps.disk.minFree)
      return c.json({ ok: false, error: 'the database disk is nearly full', ...disk }, 503);
    return c.json({ ok: true, roomsLoaded: deps.rooms.loadedCount, ...disk });
  });
  app.get('/metrics', async (c) =>
    c.text(deps.metrics.render(deps.rooms.loadedCount, await diskFree()), 200, { 'content-type': 'text/plain; version=0.0.4' }),
  );

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

  if (deps.signIn) app.route('/auth', deps.signIn);

  // An e-mail's unsubscribe link carries its own signed token, not a bearer token.
  app.route('/', unsubscribeRoute(deps));
  const requests = new KeyedRate(deps.apiRequestRate, () => deps.clock().getTime());
  app.use('/api/*', bodyLimit({ maxSize: deps.maxBodyBytes, onError: (c) => c.json({ error: 'request body too large' }, 413) }));
  app.use('/api/*', async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const user = token ? await deps.authenticate(token) : undefined;
    if (!user) return c.json({ error: 'missing, unknown or revoked token' }, 401, { 'www-authenticate': 'Bearer' });
    // One user's share of the server: a flood of requests is refused before any route's work.
    const wait = requests.take(user.id);
    if (wait !== null) return c.json({ error: `too many requests: try again in ${wait} s` }, 429, { 'retry-after': String(wait) });
    c.set('user', user);
    await next();
  });

  // Every /api route is one of the contract's (shared/protocol/http-api.ts), at the path it names.
  app.route('/', meRoutes(deps));
  app.route('/', erasureRoutes(deps));
  app.route('/', packetRoutes(deps));
  // Closing an item and placing a new comment take turns per packet (closed-items/packet-gate.ts).
  const gate = new PacketGate();
  app.route('/', annotationRoutes(deps, gate));
  app.route('/', agendaRoutes(deps));
  app.route('/', itemAccessRoutes(deps, gate));
  app.route('/', groupMemberRoutes(deps));
  app.route('/', exportRoutes(deps));
  app.route('/', notificationRoutes(deps));

  return app;
}
