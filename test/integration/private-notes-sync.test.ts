import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const note = (id: string, body: string): AnnotationDraft => ({
  id,
  kind: 'note',
  body,
  replyTo: null,
  color: null,
  tags: [],
  target: { page: 2, selectors: [{ type: 'TextQuoteSelector', exact: 'uden bemærkninger', prefix: '', suffix: '' }] },
});

describe('private notes rooms', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('syncs a note between two devices of one user both ways and stores it in SQLite', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const laptop = await connectSynced(server.wsUrl, 'notes/packet-1', anne.token);
    const tablet = await connectSynced(server.wsUrl, 'notes/packet-1', anne.token);
    clients.push(laptop, tablet);

    insertAnnotation(laptop.doc, note('n1', 'Spørg til økonomien'), { id: anne.id, name: anne.name }, '2026-01-01T10:00:00Z');
    await waitFor(() => liveAnnotations(tablet.doc).length === 1, { what: 'note on tablet' });
    insertAnnotation(tablet.doc, note('n2', 'Fra tabletten'), { id: anne.id, name: anne.name }, '2026-01-01T10:01:00Z');
    await waitFor(() => liveAnnotations(laptop.doc).length === 2, { what: 'note on laptop' });

    const stored = await readStoredDoc(server.database, `notes/${anne.id}/packet-1`);
    expect(
      liveAnnotations(stored)
        .map((a) => a.body)
        .sort(),
    ).toEqual(['Fra tabletten', 'Spørg til økonomien']);
  });

  it('serves stored notes to a fresh client after a restart', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const first = await connectSynced(server.wsUrl, 'notes/packet-1', anne.token);
    insertAnnotation(first.doc, note('n1', 'Huskes efter genstart'), null, '2026-01-01T10:00:00Z');
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/packet-1`)).length === 1, {
      what: 'stored note',
    });
    first.destroy();
    const { database } = server;
    await server.close();

    server = await startTestServer({ database });
    const fresh = await connectSynced(server.wsUrl, 'notes/packet-1', anne.token);
    clients.push(fresh);
    expect(liveAnnotations(fresh.doc).map((a) => a.body)).toEqual(['Huskes efter genstart']);
  });

  it("keeps one user's notes out of another user's room with the same packet id", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const bo = await server.addUser('Bo Hansen');
    const annes = await connectSynced(server.wsUrl, 'notes/packet-1', anne.token);
    clients.push(annes);
    insertAnnotation(annes.doc, note('n1', 'Privat'), null, '2026-01-01T10:00:00Z');
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/packet-1`)).length === 1);

    const bos = await connectSynced(server.wsUrl, 'notes/packet-1', bo.token);
    clients.push(bos);
    expect(liveAnnotations(bos.doc)).toEqual([]);
  });
});
