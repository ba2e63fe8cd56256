/**
 * The signed-in user's own account: `GET /api/me` (who the token is, and their groups) and
 * `PUT /api/me/name` (the name everyone sees on their comments and presence). A user whose
 * organisation's sign-in names them keeps that name: the sign-in sets it again every time.
 */
import { HttpApi, type Me } from '@randnoter/shared/protocol/http-api';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { pendingErasure } from '../storage/erasures.ts';
import type { Database, User } from '../storage/schema.ts';
import { emailOf, membershipsOf, namedBySignIn, setUserName } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { jsonBody } from './json-body.ts';

async function meOf(db: Kysely<Database>, user: User): Promise<Me> {
  const [groups, email, nameFromSignIn, erasure] = await Promise.all([
    membershipsOf(db, user.id),
    emailOf(db, user.id),
    namedBySignIn(db, user.id),
    pendingErasure(db, user.id),
  ]);
  return {
    id: user.id,
    name: user.name,
    ...(email ? { email } : {}),
    nameFromSignIn,
    ...(erasure ? { eraseAt: erasure.eraseAt } : {}),
    groups: groups.map((g) => ({ id: g.id, name: g.name, role: g.role, closedAccess: g.closedAccess })),
  };
}

export function meRoutes(deps: Pick<ApiDeps, 'db'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get(HttpApi.me.path, async (c) => c.json(await meOf(deps.db, c.get('user'))));
  app.put(HttpApi.renameMe.path, jsonBody(HttpApi.renameMe.body), async (c) => {
    const user = c.get('user');
    if (await namedBySignIn(deps.db, user.id)) {
      return c.json({ error: "your name comes from your organisation's sign-in and is changed there" }, 409);
    }
    const { name } = c.req.valid('json');
    await setUserName(deps.db, user.id, name);
    return c.json(await meOf(deps.db, { ...user, name }));
  });
  return app;
}
