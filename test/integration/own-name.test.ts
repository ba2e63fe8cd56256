/**
 * One name per person: the name a user gives themself (Options, "Visningsnavn") is the server's,
 * so their comments, presence and their own view all show the same one. A name from the
 * organisation's sign-in cannot be changed here (oidc-sign-in.test.ts).
 */
import type { Annotation } from '@randnoter/shared/model/annotation';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const PATH = '/api/groups/udvalg/packets/pakke-1/annotations';

describe("a user's own name", () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('is renamed by the user, and the new name is on their next comment, their presence and GET /api/me', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const before = await api<Annotation>(server.url, anne.token, 'POST', PATH, commentDraft('c1', 'Før'));
    expect(before.body.author).toEqual({ id: anne.id, name: 'Anne Jensen' });

    const renamed = await api<{ id: string; name: string; nameFromSignIn: boolean }>(server.url, anne.token, 'PUT', '/api/me/name', {
      name: '  Anne B. Jensen ',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: anne.id, name: 'Anne B. Jensen', nameFromSignIn: false });
    expect((await api<{ name: string }>(server.url, anne.token, 'GET', '/api/me')).body.name).toBe('Anne B. Jensen');

    const after = await api<Annotation>(server.url, anne.token, 'POST', PATH, commentDraft('c2', 'Efter'));
    expect(after.body.author).toEqual({ id: anne.id, name: 'Anne B. Jensen' });

    const annes = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-1', anne.token);
    const bos = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-1', bo.token);
    clients.push(annes, bos);
    annes.provider.awareness.setLocalState({ user: { name: 'Anne (Demo)' }, page: 2 });
    await waitFor(() => bos.provider.awareness.getStates().get(annes.doc.clientID)?.page === 2, { what: "Anne's presence" });
    expect(bos.provider.awareness.getStates().get(annes.doc.clientID)?.user).toEqual({ name: 'Anne B. Jensen', id: anne.id });
  });

  it('refuses a name that is empty, too long, on two lines or not text, and keeps the old one', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const cases: Array<[unknown, string]> = [
      [{ name: '   ' }, 'name must not be empty'],
      [{ name: 'x'.repeat(201) }, 'name exceeds 200 characters'],
      [{ name: 'Anne\nJensen' }, 'name must not hold line breaks or other control characters'],
      [{ name: 42 }, 'name must be text'],
      [{}, 'name'],
    ];
    for (const [body, error] of cases) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'PUT', '/api/me/name', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toContain(error);
    }
    expect((await api(server.url, null, 'PUT', '/api/me/name', { name: 'Mallory' })).status).toBe(401);
    expect((await api<{ name: string }>(server.url, anne.token, 'GET', '/api/me')).body.name).toBe('Anne Jensen');
  });
});
