/**
 * A group's agenda correction (docs/PROTOCOL.md, "Agenda corrections"; shared/protocol/http-api.ts):
 *   GET    /api/groups/:groupId/packets/:packetId/agenda   { correction } (null when there is none)
 *   PUT    /api/groups/:groupId/packets/:packetId/agenda   a member's correction replaces the group's
 *   DELETE /api/groups/:groupId/packets/:packetId/agenda   removes it
 * Members only: anyone else gets the 404 a group or packet that does not exist gets, before the
 * body is read. The body is checked strictly (shared/agenda/correction.ts) and its pages against
 * the page count the caller registered for the version it names; who and when come from the
 * token and the server's clock. A member may replace it a bounded number of times per hour
 * (sync/keyed-rate.ts, per member and room: 429 past it). The answer comes once the change is committed.
 */

import { readCorrection } from '@randnoter/shared/agenda/agenda-doc';
import { parseCorrection } from '@randnoter/shared/agenda/correction';
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { Hono } from 'hono';
import { clearGroupAgenda, setGroupAgenda } from '../intents/apply-agenda.ts';
import { registeredPages } from '../packets/packet-pages.ts';
import { KeyedRate } from '../sync/keyed-rate.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { jsonBody } from './json-body.ts';
import { sharedRoom } from './shared-room.ts';

export function agendaRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const rate = new KeyedRate(deps.agendaCorrectionRate, () => deps.clock().getTime());
  const room = sharedRoom(deps);

  app.get(HttpApi.groupAgenda.path, room, async (c) => {
    return c.json({ correction: await deps.rooms.read(c.get('room').name, readCorrection) }, 200);
  });

  app.put(HttpApi.shareAgenda.path, room, jsonBody(HttpApi.shareAgenda.body), async (c) => {
    const shape = c.req.valid('json');
    const { name, groupId, packetId } = c.get('room');
    const user = c.get('user');
    const packet = await registeredPages(deps.db, user.id, packetId, shape.version);
    if (!packet.ok) return c.json({ error: packet.error }, 400);
    // The pages again, now that the server knows the packet's page count as the caller registered it.
    const bounded = parseCorrection(shape, { pages: packet.pages });
    if (!bounded.ok) return c.json({ error: bounded.error }, 400);
    const correction = { ...bounded.value, version: packet.version, pages: packet.pages };
    const wait = rate.take(`${user.id}\n${name}`);
    if (wait !== null) {
      return c.json({ error: `you have corrected this agenda too often: try again in ${wait} s` }, 429, { 'retry-after': String(wait) });
    }
    const stored = await deps.rooms.use(name, (r) =>
      r.change((doc) => setGroupAgenda(doc, correction, { id: user.id, name: user.name }, deps.clock().toISOString())),
    );
    deps.metrics.intents++;
    deps.log.info('group agenda corrected', { group: groupId, packet: packetId, user: user.id, items: correction.items.length });
    return c.json({ correction: stored }, 200);
  });

  app.delete(HttpApi.removeAgenda.path, room, async (c) => {
    const { name, groupId, packetId } = c.get('room');
    // A removal frees space: it goes through even when the room is at its size cap.
    await deps.rooms.use(name, (r) => r.change(clearGroupAgenda, { evenWhenFull: true }));
    deps.metrics.intents++;
    deps.log.info('group agenda correction removed', { group: groupId, packet: packetId, user: c.get('user').id });
    return c.json({ correction: null }, 200);
  });

  return app;
}
