/**
 * Unmodified y-websocket WebsocketProviders (the `ws` package standing in for the browser's
 * WebSocket) are full clients: private notes sync both ways between several of them, and a
 * shared room arrives live but read-only.
 */
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { annotationsOf, insertAnnotation, liveAnnotations, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
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
  target: { page: 1 },
});

const bodies = (client: Client) =>
  liveAnnotations(client.doc)
    .map((a) => a.body)
    .sort();

describe('standard y-websocket clients', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('sync a private notes room both ways between three devices, edits and deletes included', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const devices = await Promise.all([0, 1, 2].map(() => connectSynced(server.wsUrl, 'notes/pakke-7', anne.token)));
    clients.push(...devices);

    devices.forEach((device, i) => {
      insertAnnotation(device.doc, note(`n${i}`, `fra enhed ${i}`), null, '2026-01-01T10:00:00Z');
    });
    for (const device of devices) await waitFor(() => bodies(device).length === 3, { what: 'three notes on every device' });

    const [laptop, tablet, phone] = devices as [Client, Client, Client];
    patchAnnotation(tablet.doc, 'n0', { body: 'rettet på tabletten' }, '2026-01-01T10:05:00Z');
    patchAnnotation(phone.doc, 'n1', { deleted: true }, '2026-01-01T10:06:00Z');
    const expected = ['fra enhed 2', 'rettet på tabletten'];
    for (const device of devices)
      await waitFor(() => JSON.stringify(bodies(device)) === JSON.stringify(expected), { what: 'edit and delete' });
    expect(bodies(laptop)).toEqual(expected);

    const stored = await readStoredDoc(server.database, `notes/${anne.id}/pakke-7`);
    expect(
      liveAnnotations(stored)
        .map((a) => a.body)
        .sort(),
    ).toEqual(expected);
  });

  it('receive a shared room live, read-only: a client write is neither relayed nor stored', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const annes = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-7', anne.token);
    const bos = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-7', bo.token);
    clients.push(annes, bos);

    const created = await api(
      server.url,
      anne.token,
      'POST',
      '/api/groups/udvalg/packets/pakke-7/annotations',
      commentDraft('c1', 'Hvad koster det?'),
    );
    expect(created.status).toBe(201);
    for (const client of [annes, bos]) await waitFor(() => bodies(client).includes('Hvad koster det?'), { what: 'the comment, live' });

    // Bo's provider writes into its own copy of the shared doc, as a modified client could.
    insertAnnotation(bos.doc, note('forged', 'skrevet direkte i Yjs'), { id: anne.id, name: anne.name }, '2026-01-01T10:00:00Z');
    patchAnnotation(bos.doc, 'c1', { body: 'Anne mener det modsatte' }, '2026-01-01T10:00:00Z');
    // Presence travels on the same socket after those writes: once Anne sees it, the server has handled them.
    bos.provider.awareness.setLocalStateField('page', 12);
    await waitFor(() => [...annes.provider.awareness.getStates().values()].some((s) => s.page === 12), { what: "Bo's presence" });

    const reply = await api(server.url, bo.token, 'POST', '/api/groups/udvalg/packets/pakke-7/annotations', {
      ...commentDraft('r1', 'Det står på side 3'),
      kind: 'reply',
      replyTo: 'c1',
    });
    expect(reply.status).toBe(201);
    await waitFor(() => bodies(annes).includes('Det står på side 3'), { what: 'the reply, live' });

    expect(annotationsOf(annes.doc).has('forged')).toBe(false);
    expect(bodies(annes)).toEqual(['Det står på side 3', 'Hvad koster det?']);
    const stored = await readStoredDoc(server.database, 'shared/udvalg/pakke-7');
    expect(
      liveAnnotations(stored)
        .map((a) => a.body)
        .sort(),
    ).toEqual(['Det står på side 3', 'Hvad koster det?']);
    // Ignoring is silent: the read-only client stays connected and keeps receiving.
    expect(bos.provider.wsconnected).toBe(true);
    const late = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-7', bo.token);
    clients.push(late);
    expect(bodies(late)).toEqual(['Det står på side 3', 'Hvad koster det?']);
  });
});
