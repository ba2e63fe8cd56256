/** POST /api/packets (identify a packet, record versions) and GET /api/packets (a user's packets); shared/protocol/http-api.ts. */
import { provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { Hono } from 'hono';
import { listPacketsOf } from '../packets/list-packets.ts';
import { roomCheck } from '../packets/packet-view.ts';
import { registerPacket } from '../packets/register-packet.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { jsonBody } from './json-body.ts';

export function packetRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post(HttpApi.registerPacket.path, jsonBody(HttpApi.registerPacket.body), async (c) => {
    const registration = c.req.valid('json');
    const user = c.get('user');
    const caller = { userId: user.id, hasRoom: roomCheck(deps.docs, user.id, await groupsOf(deps.db, user.id)) };
    // A packet new to the caller is named after its first version, the id an offline client already uses for it.
    const result = await registerPacket(deps.db, caller, registration, deps.clock().toISOString(), () =>
      provisionalPacketId(registration.fingerprint),
    );
    return c.json(result, result.created ? 201 : 200);
  });

  app.get(HttpApi.listPackets.path, async (c) => {
    const user = c.get('user');
    const packets = await listPacketsOf(deps.db, deps.docs, user.id, await groupsOf(deps.db, user.id));
    return c.json({ packets });
  });

  return app;
}
