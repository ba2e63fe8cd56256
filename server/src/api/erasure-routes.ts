/**
 * A user's own erasure (docs/PROTOCOL.md, "HTTP"; docs/OPERATIONS.md, "Erasure"): asked for with
 * `DELETE /api/me`, carried out by the server once the grace period is over (erasure/due-erasures.ts),
 * taken back with `DELETE /api/me/erasure` until then.
 */
import { HttpApi, type PendingErasure } from '@randnoter/shared/protocol/http-api';
import { Hono } from 'hono';
import { ERASURE_GRACE_MS } from '../erasure/due-erasures.ts';
import { cancelErasure, requestErasure } from '../storage/erasures.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';

export function erasureRoutes(deps: Pick<ApiDeps, 'db' | 'clock' | 'log'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.delete(HttpApi.eraseMe.path, async (c) => {
    const user = c.get('user');
    const now = deps.clock();
    const eraseAt = await requestErasure(
      deps.db,
      user.id,
      now.toISOString(),
      new Date(now.getTime() + ERASURE_GRACE_MS).toISOString(),
      'self',
    );
    deps.log.info('erasure requested', { user: user.id, eraseAt });
    return c.json({ eraseAt } satisfies PendingErasure, 202);
  });
  app.delete(HttpApi.cancelErasure.path, async (c) => {
    const user = c.get('user');
    if (!(await cancelErasure(deps.db, user.id))) return c.json({ error: 'no erasure of yours is pending' }, 404);
    deps.log.info('erasure cancelled', { user: user.id });
    return c.json({ cancelled: true as const });
  });
  return app;
}
