/**
 * A group's agenda correction (docs/PROTOCOL.md, "Agenda corrections"):
 *   GET    /groups/:groupId/packets/:packetId/agenda   { correction } (null when there is none)
 *   PUT    /groups/:groupId/packets/:packetId/agenda   a member's correction replaces the group's
 *   DELETE /groups/:groupId/packets/:packetId/agenda   removes it
 * Members only: anyone else gets the 404 a group or packet that does not exist gets, before the
 * body is read. The body is checked strictly (shared/agenda/correction.ts) and its pages against
 * the page count the caller registered for the version it names; who and when come from the
 * token and the server's clock. A member may replace it a bounded number of times per hour
 * (correction-rate.ts: 429 past it). The answer comes once the change is committed.
 */
import { parseCorrection } from '@randnoter/shared/agenda/correction';
import { readCorrection } from '@randnoter/shared/model/agenda-doc';
import { Hono } from 'hono';
import { clearGroupAgenda, setGroupAgenda } from '../intents/apply-agenda.ts';
import { CorrectionRate } from '../intents/correction-rate.ts';
import { registeredPages } from '../packets/packet-pages.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { readJson } from './read-json.ts';
import { sharedRoomOf } from './shared-room.ts';

const PATH = '/groups/:groupId/packets/:packetId/agenda';

export function agendaRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const rate = new CorrectionRate(deps.agendaCorrectionRate, () => deps.clock().getTime());

  app.get(PATH, async (c) => {
    const room = await sharedRoomOf(deps, c);
    if (!room) return c.json(NOT_FOUND, 404);
    return c.json({ correction: await deps.rooms.read(room.name, readCorrection) }, 200);
  });

  app.put(PATH, async (c) => {
    const room = await sharedRoomOf(deps, c);
    if (!room) return c.json(NOT_FOUND, 404);
    const json = await readJson(c);
    if (!json.ok) return c.json({ error: json.error }, 400);
    const shape = parseCorrection(json.value);
    if (!shape.ok) return c.json({ error: shape.error }, 400);
    const user = c.get('user');
    const packet = await registeredPages(deps.db, user.id, room.packetId, shape.value.version);
    if (!packet.ok) return c.json({ error: packet.error }, 400);
    const bounded = parseCorrection(json.value, { pages: packet.pages });
    if (!bounded.ok) return c.json({ error: bounded.error }, 400);
    const correction = { ...bounded.value, version: packet.version, pages: packet.pages };
    const wait = rate.take(user.id, room.name);
    if (wait !== null) {
      return c.json({ error: `you have corrected this agenda too often: try again in ${wait} s` }, 429, { 'retry-after': String(wait) });
    }
    const stored = await deps.rooms.use(room.name, (r) =>
      r.change((doc) => setGroupAgenda(doc, correction, { id: user.id, name: user.name }, deps.clock().toISOString())),
    );
    deps.metrics.intents++;
    deps.log.info('group agenda corrected', { group: room.groupId, packet: room.packetId, user: user.id, items: correction.items.length });
    return c.json({ correction: stored }, 200);
  });

  app.delete(PATH, async (c) => {
    const room = await sharedRoomOf(deps, c);
    if (!room) return c.json(NOT_FOUND, 404);
    // A removal frees space: it goes through even when the room is at its size cap.
    await deps.rooms.use(room.name, (r) => r.change(clearGroupAgenda, { evenWhenFull: true }));
    deps.metrics.intents++;
    deps.log.info('group agenda correction removed', { group: room.groupId, packet: room.packetId, user: c.get('user').id });
    return c.json({ correction: null }, 200);
  });

  return app;
}
