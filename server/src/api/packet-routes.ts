/** POST /api/packets (identify a packet, record versions) and GET /api/packets (a user's packets). */
import { provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import { Hono } from 'hono';
import { listPacketsOf } from '../packets/list-packets.ts';
import { roomCheck } from '../packets/packet-view.ts';
import { parseRegistration } from '../packets/parse-registration.ts';
import { registerPacket } from '../packets/register-packet.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { readJson } from './read-json.ts';

export function packetRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post('/packets', async (c) => {
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: json.error }, 400);
    const parsed = parseRegistration(json.value);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const user = c.get('user');
    const caller = { userId: user.id, hasRoom: roomCheck(deps.docs, user.id, await groupsOf(deps.db, user.id)) };
    // A packet new to the caller is named after its first version, the id an offline client already uses for it.
    const result = await registerPacket(deps.db, caller, parsed.value, deps.clock().toISOString(), () =>
      provisionalPacketId(parsed.value.fingerprint),
    );
    return c.json(result, result.created ? 201 : 200);
  });

  app.get('/packets', async (c) => {
    const user = c.get('user');
    const packets = await listPacketsOf(deps.db, deps.docs, user.id, await groupsOf(deps.db, user.id));
    return c.json({ packets });
  });

  return app;
}
