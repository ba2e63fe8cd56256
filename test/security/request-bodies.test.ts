/**
 * Request bodies are checked by the contract's schemas (shared/protocol/http-api.ts) through one
 * middleware, and the room a group route names by another (sharedRoom), resolved before the body
 * is read. docs/SECURITY.md, "A signed-in user: request bodies".
 */
import { type BodyOf, HttpApi, type ParamsOf, pathOf, type RouteName } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('request bodies and group routes', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  const caller =
    (token: string) =>
    <R extends RouteName>(route: R, params: ParamsOf<(typeof HttpApi)[R]['path']>, body?: BodyOf<R>) => {
      const { method, path } = HttpApi[route];
      return api(server.url, token, method, pathOf<(typeof HttpApi)[R]['path']>(path, params), body);
    };

  it('answers a non-member on every group route exactly as it answers a group that does not exist, whatever the body', async () => {
    server = await startTestServer();
    await server.addUser('Anne Jensen', 'udvalg');
    const mallory = await server.addUser('Mallory', 'andre');
    const call = caller(mallory.token);
    const groupRoutes = (Object.keys(HttpApi) as RouteName[]).filter((r) => HttpApi[r].path.startsWith('/api/groups/'));
    expect(groupRoutes).toHaveLength(16);
    for (const route of groupRoutes) {
      for (const body of HttpApi[route].method === 'GET' ? [undefined] : [undefined, '{ not json', { nothing: 'valid' }]) {
        const ask = (groupId: string) => call(route, { groupId, packetId: 'p1', id: 'c1', itemNumber: '3' }, body as never);
        const [stranger, missing] = [await ask('udvalg'), await ask('findes-ikke')];
        expect([route, stranger.status, stranger.text], String(body)).toEqual([route, 404, missing.text]);
        expect(stranger.body).toEqual({ error: 'not found' });
      }
    }
  });

  it('refuses a body not sent as JSON with a 400 that says so, and stores nothing', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const path = pathOf(HttpApi.createAnnotation.path, { groupId: 'udvalg', packetId: 'p1' });
    const comment = JSON.stringify({ id: 'c1', kind: 'comment', body: 'hej', target: { page: 1 } });
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const response = await fetch(server.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${anne.token}`, ...(type ? { 'content-type': type } : {}) },
        body: comment,
      });
      expect(response.status, type).toBe(400);
      expect(await response.json()).toEqual({ error: 'the request body must be JSON, sent with content-type: application/json' });
    }
    const listed = await caller(anne.token)('sharedAnnotations', { groupId: 'udvalg', packetId: 'p1' });
    expect(listed.body.total).toBe(0);
    const asJson = await api(server.url, anne.token, 'POST', path, comment);
    expect(asJson.status).toBe(201);
  });
});
