/**
 * GET /api/groups/:groupId/members lists who is in a group: a secretary's business only
 * (docs/CLOSED-ITEMS.md). Someone outside the group learns not even that it exists; a member
 * who is not a secretary is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Who = { id: string; name: string; token: string };

describe("a group's member list", () => {
  let server: TestServer;
  let bo: Who;
  let anne: Who;
  let eve: Who;
  const get = (who: Who, path: string) => api<Record<string, unknown>>(server.url, who.token, 'GET', path);

  beforeAll(async () => {
    server = await startTestServer();
    bo = await server.addUser('Bo Hansen', 'udvalg');
    anne = await server.addUser('Anne Jensen', 'udvalg');
    eve = await server.addUser('Eve Berg', 'andre');
    await server.setAccess('udvalg', bo.id, { role: 'secretary' });
    // A secretary of another group is still an outsider here.
    await server.setAccess('andre', eve.id, { role: 'secretary' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers someone outside the group exactly as a group that does not exist', async () => {
    const missing = await get(eve, '/api/groups/findes-ikke/members');
    const outside = await get(eve, '/api/groups/udvalg/members');
    expect(missing.status).toBe(404);
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual(missing.body);
    expect(JSON.stringify(outside.body)).not.toContain('Anne');
  });

  it('refuses a member who is not a secretary (403), naming nobody', async () => {
    const answer = await get(anne, '/api/groups/udvalg/members');
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).not.toContain('Bo Hansen');
  });

  it("gives a secretary the group's members, and only them", async () => {
    const answer = await get(bo, '/api/groups/udvalg/members');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      members: [
        { id: anne.id, name: 'Anne Jensen' },
        { id: bo.id, name: 'Bo Hansen' },
      ],
    });
  });
});
