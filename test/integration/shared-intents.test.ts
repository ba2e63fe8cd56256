/**
 * Shared rooms have one writer, the server: members send intents over HTTP, the server checks
 * them, sets author and time, commits, answers, and broadcasts. A hostile member can neither
 * forge authorship nor change another member's comment, over HTTP or by writing Yjs updates.
 */
import { type Annotation, AnnotationLimits } from '@randnoter/shared/model/annotation';
import { annotationsOf, insertAnnotation, liveAnnotations, patchAnnotation, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, commentDraft } from '../support/api.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { readStoredDoc, storedRowCount } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';
import { applyServerMessages, awarenessEntry, decodeServerMessage, syncStep1, syncStep2, syncUpdate } from '../support/yjs-frames.ts';

const ROOM = 'shared/udvalg/pakke-1';
const PATH = '/api/groups/udvalg/packets/pakke-1/annotations';

async function stored(server: TestServer): Promise<Annotation[]> {
  return readAnnotations(await readStoredDoc(server.database, ROOM));
}

describe('shared-room intents', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  async function setUp() {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const reader = await connectSynced(server.wsUrl, 'shared/udvalg/pakke-1', bo.token);
    clients.push(reader);
    return { anne, bo, reader };
  }

  it('creates, replies, edits, resolves and deletes, with author and times from the server, each change live', async () => {
    const { anne, bo, reader } = await setUp();
    const live = (id: string) => readAnnotations(reader.doc).find((a) => a.id === id);
    const before = new Date().toISOString();
    const created = await api<Annotation>(server.url, anne.token, 'POST', PATH, {
      ...commentDraft('c1', 'Hvad koster det?'),
      author: { id: bo.id, name: 'Bo Hansen' },
      created: '1999-01-01T00:00:00Z',
      modified: '1999-01-01T00:00:00Z',
      resolved: true,
      deleted: true,
    });
    const after = new Date().toISOString();
    expect(created.status).toBe(201);
    expect(created.body.author).toEqual({ id: anne.id, name: 'Anne Jensen' });
    expect(created.body.created >= before && created.body.created <= after).toBe(true);
    expect(created.body).toMatchObject({ kind: 'comment', body: 'Hvad koster det?', resolved: false, deleted: false });
    await waitFor(() => live('c1')?.body === 'Hvad koster det?', { what: 'the comment, live' });

    // Idempotent on the client's id: a retry answers 200 with what is stored; another author's reuse is a clash.
    const retry = await api<Annotation>(server.url, anne.token, 'POST', PATH, commentDraft('c1', 'Hvad koster det?'));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(created.body);
    expect((await api(server.url, bo.token, 'POST', PATH, commentDraft('c1', 'Mit id nu'))).status).toBe(409);

    const reply = await api<Annotation>(server.url, bo.token, 'POST', PATH, {
      ...commentDraft('r1', 'Se side 3'),
      kind: 'reply',
      replyTo: 'c1',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ kind: 'reply', replyTo: 'c1', author: { id: bo.id, name: 'Bo Hansen' } });
    expect((await api(server.url, bo.token, 'POST', PATH, { ...commentDraft('r2', 'Svar'), kind: 'reply', replyTo: 'nope' })).status).toBe(
      404,
    );
    await waitFor(() => live('r1') !== undefined, { what: 'the reply, live' });

    // Only the author edits or deletes; any member may resolve.
    expect((await api(server.url, bo.token, 'PATCH', `${PATH}/c1`, { body: 'Bo retter Annes ord' })).status).toBe(403);
    expect((await api(server.url, bo.token, 'PATCH', `${PATH}/c1`, { color: '#ff0000' })).status).toBe(403);
    expect((await api(server.url, bo.token, 'DELETE', `${PATH}/c1`)).status).toBe(403);
    const beforeResolve = new Date().toISOString();
    // Who and when are the server's to say: sent along, they are ignored.
    const resolved = await api<Annotation>(server.url, bo.token, 'PATCH', `${PATH}/c1`, {
      resolved: true,
      resolvedBy: { id: anne.id, name: 'Forfalsket' },
      resolvedAt: '1999-01-01T00:00:00Z',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ resolved: true, body: 'Hvad koster det?', author: { id: anne.id } });
    // Says who resolved it and when, from the token and the clock; the comment keeps its own time.
    expect(resolved.body.resolvedBy).toEqual({ id: bo.id, name: 'Bo Hansen' });
    expect((resolved.body.resolvedAt ?? '') >= beforeResolve).toBe(true);
    expect(resolved.body.modified).toBe(created.body.modified);
    const reopened = await api<Annotation>(server.url, anne.token, 'PATCH', `${PATH}/c1`, { resolved: false });
    expect(reopened.body).toMatchObject({ resolved: false, modified: created.body.modified });
    expect(reopened.body.resolvedBy).toBeUndefined();
    const again = await api<Annotation>(server.url, anne.token, 'PATCH', `${PATH}/c1`, { resolved: true });
    expect(again.body.resolvedBy).toEqual({ id: anne.id, name: 'Anne Jensen' });
    const edited = await api<Annotation>(server.url, anne.token, 'PATCH', `${PATH}/c1`, { body: 'Hvad koster det i alt?' });
    expect(edited.status).toBe(200);
    expect(edited.body.modified > created.body.modified).toBe(true);
    expect(edited.body.created).toBe(created.body.created);
    await waitFor(() => live('c1')?.body === 'Hvad koster det i alt?' && live('c1')?.resolved === true, { what: 'edit and resolve, live' });

    const deleted = await api<Annotation>(server.url, anne.token, 'DELETE', `${PATH}/c1`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ deleted: true, body: '' });
    expect((await api(server.url, anne.token, 'DELETE', `${PATH}/c1`)).status).toBe(200); // a retry
    expect((await api(server.url, anne.token, 'PATCH', `${PATH}/c1`, { body: 'igen' })).status).toBe(404);
    await waitFor(() => live('c1')?.deleted === true, { what: 'the tombstone, live' });

    // The tombstone keeps the id (deletes merge); the W3C listing leaves it out.
    expect((await stored(server)).find((a) => a.id === 'c1')).toMatchObject({ deleted: true, body: '' });
    const listing = await api<{ total: number; first: { items: Array<{ id: string }> } }>(server.url, anne.token, 'GET', PATH);
    expect(listing.body.first.items.map((a) => a.id)).toEqual(['urn:randnoter:annotation:r1']);
  });

  it('answers a 2xx only once the change is in the database file', async () => {
    const { anne } = await setUp();
    for (let i = 0; i < 40; i++) {
      const answer = await api(server.url, anne.token, 'POST', PATH, commentDraft(`c${i}`, `kommentar ${i}`));
      expect(answer.status).toBe(201);
      // Read straight from SQLite by another connection the moment the answer arrives.
      expect((await stored(server)).some((a) => a.id === `c${i}`)).toBe(true);
      if (i % 10 === 9) {
        expect((await api(server.url, anne.token, 'PATCH', `${PATH}/c${i}`, { resolved: true })).status).toBe(200);
        expect((await stored(server)).find((a) => a.id === `c${i}`)?.resolved).toBe(true);
      }
    }
  });

  it('refuses bad input with a clear 400 and stores nothing', async () => {
    const { anne } = await setUp();
    const long = 'x'.repeat(AnnotationLimits.bodyMaxChars + 1);
    const bad: Array<[unknown, RegExp]> = [
      ['{ not json', /not valid JSON/],
      [[], /JSON object/],
      ['"a string"', /JSON object/],
      [{ ...commentDraft('c1', 'x'), id: undefined }, /id must match/],
      [commentDraft('has space', 'x'), /id must match/],
      [commentDraft('a'.repeat(129), 'x'), /id must match/],
      [{ ...commentDraft('c1', 'x'), kind: 'note' }, /comment or reply/],
      [{ ...commentDraft('c1', 'x'), kind: 'banana' }, /kind must be/],
      [{ ...commentDraft('c1', 'x'), body: 42 }, /body must be text/],
      [commentDraft('c1', long), /body exceeds 10000 characters/],
      [{ ...commentDraft('c1', 'x'), kind: 'reply' }, /replyTo/],
      [{ ...commentDraft('c1', 'x'), replyTo: 'c0' }, /only a reply/],
      [{ ...commentDraft('c1', 'x'), target: undefined }, /target must be an object/],
      [{ ...commentDraft('c1', 'x'), target: { page: 0 } }, /target.page/],
      [
        { ...commentDraft('c1', 'x'), target: { page: 1, selectors: Array(9).fill({ type: 'TextPositionSelector', start: 0, end: 1 }) } },
        /at most 8/,
      ],
      [
        { ...commentDraft('c1', 'x'), target: { page: 1, selectors: [{ type: 'TextQuoteSelector', exact: 'a', prefix: 'p'.repeat(33) }] } },
        /exceed 32/,
      ],
      [{ ...commentDraft('c1', 'x'), target: { page: 1, region: { page: 1, x: 2, y: 0, w: 0, h: 0 } } }, /fractions/],
      [{ ...commentDraft('c1', 'x'), color: 'red' }, /color/],
      [{ ...commentDraft('c1', 'x'), tags: ['ok', ''] }, /tag/],
    ];
    for (const [body, message] of bad) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'POST', PATH, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error).toMatch(message);
      expect(answer.body.error).not.toContain('\n');
    }
    expect((await api(server.url, anne.token, 'POST', PATH, commentDraft('c1', 'fint'))).status).toBe(201);
    const badPatches: Array<[unknown, RegExp]> = [
      [{}, /nothing to change/],
      [{ author: { id: 'x', name: 'y' } }, /nothing to change/],
      [{ resolved: 'yes' }, /resolved must be/],
      [{ body: long }, /body exceeds/],
      [{ color: 'blue' }, /color/],
      ['nope', /not valid JSON/],
    ];
    for (const [body, message] of badPatches) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'PATCH', `${PATH}/c1`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    // Over the HTTP body limit (1 MiB by default): 413 before anything is parsed.
    const huge = await api<{ error: string }>(server.url, anne.token, 'POST', PATH, {
      ...commentDraft('c2', 'x'),
      padding: 'y'.repeat(1_100_000),
    });
    expect(huge.status).toBe(413);
    expect((await stored(server)).map((a) => [a.id, a.body])).toEqual([['c1', 'fint']]);
  });

  it("stops a hostile member's client from forging authorship or changing another member's comment", async () => {
    const { anne, bo, reader } = await setUp();
    const annes = await api<Annotation>(server.url, anne.token, 'POST', PATH, commentDraft('c1', 'Annes ord'));
    expect(annes.status).toBe(201);

    // Over HTTP: author fields are ignored, Anne's id is hers, her words are hers.
    const forged = await api<Annotation>(server.url, bo.token, 'POST', PATH, {
      ...commentDraft('c2', 'Jeg er Anne'),
      author: { id: anne.id, name: 'Anne Jensen' },
    });
    expect(forged.body.author).toEqual({ id: bo.id, name: 'Bo Hansen' });
    expect((await api(server.url, bo.token, 'POST', PATH, { ...commentDraft('c1', 'overtaget'), author: { id: anne.id } })).status).toBe(
      409,
    );
    expect((await api(server.url, bo.token, 'PATCH', `${PATH}/c1`, { body: 'ændret', author: { id: bo.id } })).status).toBe(403);
    expect((await api(server.url, bo.token, 'DELETE', `${PATH}/c1`)).status).toBe(403);
    const resolvedWithExtras = await api<Annotation>(server.url, bo.token, 'PATCH', `${PATH}/c1`, {
      resolved: true,
      author: { id: bo.id, name: 'Bo' },
      deleted: true,
      created: '1999-01-01T00:00:00Z',
    });
    expect(resolvedWithExtras.body).toMatchObject({ resolved: true, deleted: false, author: { id: anne.id }, created: annes.body.created });

    // Over the socket: a hand-written client syncs the room, rewrites it locally and sends it back.
    const rowsBefore = await storedRowCount(server.database);
    const socket = await openRawSocket(server.port, `/sync/shared/udvalg/pakke-1?token=${bo.token}&ack=1`);
    const local = new Y.Doc();
    socket.sendBinary(syncStep1(local));
    await waitFor(() =>
      socket.messages.some(
        (m) => decodeServerMessage(m).type === 'sync' && (decodeServerMessage(m) as { step: number }).step === SyncStep.step2,
      ),
    );
    applyServerMessages(local, socket.messages);
    expect(annotationsOf(local).has('c1')).toBe(true);
    const sv = Y.encodeStateVector(local);
    patchAnnotation(local, 'c1', { body: 'Bo har skrevet dette' }, '2030-01-01T00:00:00Z');
    annotationsOf(local).get('c1')?.set('author', { id: bo.id, name: 'Bo Hansen' });
    insertAnnotation(
      local,
      { id: 'c3', kind: 'comment', body: 'Falsk Anne', replyTo: null, color: null, tags: [], target: { page: 1 } },
      { id: anne.id, name: 'Anne Jensen' },
      '2030-01-01T00:00:00Z',
    );
    const attack = Y.encodeStateAsUpdate(local, sv);
    socket.sendBinary(syncUpdate(attack));
    socket.sendBinary(syncStep2(attack));
    annotationsOf(local).delete('c1');
    socket.sendBinary(syncUpdate(Y.encodeStateAsUpdate(local, sv)));
    // Presence after the attack on the same socket: when the reader sees it, the server has handled everything before.
    socket.sendBinary(awarenessEntry(local.clientID, 1, { user: { name: 'Anne Jensen' }, page: 99 }));
    await waitFor(() => [...reader.provider.awareness.getStates().values()].some((s) => s.page === 99), { what: 'the presence barrier' });

    const state = [...reader.provider.awareness.getStates().values()].find((s) => s.page === 99) as { user: { name: string; id: string } };
    expect(state.user).toMatchObject({ name: 'Bo Hansen', id: bo.id });
    expect(socket.isClosed).toBe(false);
    expect(socket.messages.some((m) => decodeServerMessage(m).type === 'ack')).toBe(false);
    expect(await storedRowCount(server.database)).toBe(rowsBefore);
    const expected = { id: 'c1', body: 'Annes ord', author: { id: anne.id, name: 'Anne Jensen' }, resolved: true, deleted: false };
    expect((await stored(server)).find((a) => a.id === 'c1')).toMatchObject(expected);
    expect(readAnnotations(reader.doc).find((a) => a.id === 'c1')).toMatchObject(expected);
    expect((await stored(server)).some((a) => a.id === 'c3')).toBe(false);
    expect(
      liveAnnotations(reader.doc)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['c1', 'c2']);
    socket.destroy();
  });
});
