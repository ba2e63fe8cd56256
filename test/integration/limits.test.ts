/**
 * Limits protect the server without refusing legitimate work: oversized frames, oversized
 * documents, floods and silent sockets are stopped with documented close codes or HTTP statuses,
 * while a 10,000-note import and a 13 MB first sync go through.
 */
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type AckWriter, openAckWriter, pageNote } from '../support/ack-writer.ts';
import { api, commentDraft } from '../support/api.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectClient, connectSynced } from '../support/yjs-clients.ts';
import {
  awarenessEntry,
  awarenessStates,
  decodeServerMessage,
  lastAck,
  queryAwareness,
  syncStep1,
  syncUpdate,
} from '../support/yjs-frames.ts';

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

function openWs(url: string): Promise<{ ws: WebSocket; messages: Uint8Array[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Uint8Array[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
    ws.on('error', () => {});
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', () => reject(new Error('not upgraded')));
  });
}

describe('limits', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await server?.close();
  });

  it('closes a socket that sends a frame above the maximum with 1009, and only that socket', async () => {
    server = await startTestServer({ limits: { maxFrameBytes: 64 * 1024 } });
    const anne = await server.addUser('Anne Jensen');
    const bystander = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(bystander);
    const big = await openRawSocket(server.port, `/sync/notes/p2?token=${anne.token}`);
    big.sendBinary(new Uint8Array(64 * 1024 + 1));
    expect((await big.closed).code).toBe(CloseCode.messageTooBig);
    // Just under the limit is fine (a real update of that size).
    const doc = new Y.Doc();
    insertAnnotation(doc, pageNote('n1', 'x'.repeat(60 * 1024)), null, '2026-01-01T10:00:00Z');
    const fits = await openRawSocket(server.port, `/sync/notes/p2?token=${anne.token}&ack=1`);
    fits.sendBinary(syncUpdate(Y.encodeStateAsUpdate(doc)));
    await waitFor(() => lastAck(fits.messages) === 1, { what: 'the ack of a 60 KiB update' });
    fits.destroy();
    insertAnnotation(bystander.doc, pageNote('n2', 'ok'), null, '2026-01-01T10:00:00Z');
    const second = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(second);
    await waitFor(() => liveAnnotations(second.doc).length === 1);
    expect(bystander.provider.wsconnected).toBe(true);
  });

  it('refuses writes past the document size cap: 4413 on the socket, 413 over HTTP, reads keep working', async () => {
    server = await startTestServer({ limits: { maxDocBytes: 40_000 } });
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    writers.push(writer);
    for (let i = 0; i < 100 && writer.closeCode === null; i++) {
      writer.write('x'.repeat(1_000));
      await waitFor(() => writer.acked === writer.sent.length || writer.closeCode !== null);
    }
    expect(writer.closeCode).toBe(CloseCode.documentTooLarge);
    expect(writer.acked).toBeGreaterThanOrEqual(25); // about 1 KB each, under the 40 KB cap
    expect(writer.acked * 1_000).toBeLessThan(40_000);
    const reader = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(reader);
    expect(liveAnnotations(reader.doc)).toHaveLength(writer.acked);

    const path = '/api/groups/udvalg/packets/p1/annotations';
    let last = 0;
    let error = '';
    for (let i = 0; i < 100 && last !== 413; i++) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'POST', path, commentDraft(`c${i}`, 'y'.repeat(5_000)));
      last = answer.status;
      error = answer.body.error;
    }
    expect(last).toBe(413);
    expect(error).toMatch(/document size cap/);
    expect((await api(server.url, anne.token, 'GET', path)).status).toBe(200);
  });

  it('slows a burst of messages by backpressure, and closes with 4429 only a flood that keeps going', async () => {
    server = await startTestServer({ limits: { messagesPerSecond: 200, messageBurst: 100, floodCloseMs: 1_500 } });
    const anne = await server.addUser('Anne Jensen');

    // A burst of 300 state vectors: more than the burst allows, so it is read slowly; every one is
    // covered by an answer (the requests that wait for one are answered together).
    const burst = await openWs(`${server.wsUrl}/notes/p1?token=${anne.token}`);
    for (let i = 0; i < 300; i++) burst.ws.send(syncStep1(new Y.Doc()));
    burst.ws.send(queryAwareness()); // answered after every sync request before it
    await waitFor(async () => (await metric(server, 'randnoter_backpressure_pauses_total{reason="rate"}')) > 0, { what: 'a rate pause' });
    await waitFor(() => burst.messages.some((m) => decodeServerMessage(m).type === 'awareness' || decodeServerMessage(m).type === 'sync'), {
      what: 'the answers',
    });
    expect(burst.ws.readyState).toBe(WebSocket.OPEN);
    const pausesAfterBurst = await metric(server, 'randnoter_backpressure_pauses_total{reason="rate"}');
    burst.ws.close();

    // A flood that never stops: slowed first, then closed.
    const flood = await openWs(`${server.wsUrl}/notes/p1?token=${anne.token}`);
    let code = 0;
    void flood.closed.then((c) => {
      code = c;
    });
    const started = Date.now();
    for (let i = 0; i < 10_000 && code === 0 && Date.now() - started < 20_000; i++) {
      for (let j = 0; j < 20; j++) flood.ws.send(queryAwareness());
      await new Promise((r) => setTimeout(r, 1));
    }
    await flood.closed;
    expect(code).toBe(CloseCode.rateLimited);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(await metric(server, 'randnoter_backpressure_pauses_total{reason="rate"}')).toBeGreaterThan(pausesAfterBurst);
    // Others are unaffected.
    const other = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(other);
  });

  /** A room of about 200 KB, and a socket into it that does not read while it asks for the room 150 times. */
  async function askWithoutReading(userToken: string): Promise<{ reader: Awaited<ReturnType<typeof openWs>>; seeder: Client }> {
    const seeder = await connectSynced(server.wsUrl, 'notes/p1', userToken);
    clients.push(seeder);
    seeder.doc.transact(() => {
      for (let i = 0; i < 10; i++) insertAnnotation(seeder.doc, pageNote(`n${i}`, 'x'.repeat(20_000)), null, '2026-01-01T10:00:00Z');
    });
    const check = await connectSynced(server.wsUrl, 'notes/p1', userToken);
    await waitFor(() => liveAnnotations(check.doc).length === 10, { what: 'the seeded room' });
    check.destroy(); // a reader in this process, busy writing, would not read its relays in time either
    const reader = await openWs(`${server.wsUrl}/notes/p1?token=${userToken}`);
    reader.ws.pause();
    for (let i = 0; i < 150; i++) reader.ws.send(syncStep1(new Y.Doc()));
    return { reader, seeder };
  }

  const roomAnswers = (messages: Uint8Array[]) =>
    messages.filter((m) => {
      const message = decodeServerMessage(m);
      return message.type === 'sync' && message.step === 1 && message.payload.byteLength > 200_000;
    }).length;

  it('answers a client that asks for more than it reads once per answer it has read: the requests in between are answered together', async () => {
    // The red-team pass: 150 requests for a room from a socket that did not read took 30 MB of the
    // server's memory (and 40 against a 7.5 MiB room, 301 MB). Now one answer is on its way at a time.
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const { reader, seeder } = await askWithoutReading(anne.token);
    reader.ws.resume();
    await waitFor(() => roomAnswers(reader.messages) >= 1, { timeoutMs: 30_000, what: 'an answer' });
    // A last request from a client that holds everything: its small answer is the last to come.
    reader.ws.send(syncStep1(seeder.doc));
    const small = (m: Uint8Array) => {
      const message = decodeServerMessage(m);
      return message.type === 'sync' && message.step === 1 && message.payload.byteLength < 1_000;
    };
    await waitFor(() => reader.messages.some(small), { what: 'the answer to the last request' });
    // As many answers as the kernel's socket buffers took while the client did not read, then one
    // more for all the requests that waited: far fewer than were asked for.
    expect(roomAnswers(reader.messages)).toBeGreaterThanOrEqual(1);
    expect(roomAnswers(reader.messages)).toBeLessThan(100);
    expect(reader.ws.readyState).toBe(WebSocket.OPEN);
    expect(await metric(server, 'randnoter_socket_closes_total{code="4429"}')).toBe(0);
  });

  it('closes with 4429 a client whose unread data passes the send-buffer cap, after what was sent before', async () => {
    server = await startTestServer({ limits: { maxSendBufferBytes: 2 * 1024 * 1024 } });
    const anne = await server.addUser('Anne Jensen');
    const { reader, seeder } = await askWithoutReading(anne.token);
    // What others write is relayed to it whether it reads or not: 30 MB, more than the kernel's
    // socket buffers take, so the server's own buffer for it passes the cap.
    // (In updates of 300 KB each: far under the cap, so the clients that do read keep up.)
    for (let batch = 0; batch < 100; batch++) {
      seeder.doc.transact(() => {
        for (let i = 0; i < 15; i++) {
          const n = 10 + batch * 15 + i;
          insertAnnotation(seeder.doc, pageNote(`n${n}`, 'x'.repeat(20_000)), null, '2026-01-01T10:00:00Z');
        }
      });
    }
    await waitFor(async () => (await metric(server, 'randnoter_socket_closes_total{code="4429"}')) === 1, {
      timeoutMs: 60_000,
      what: 'the close',
    });
    reader.ws.resume();
    expect(await reader.closed).toBe(CloseCode.rateLimited);
    expect(roomAnswers(reader.messages)).toBeGreaterThan(0);
    expect(roomAnswers(reader.messages)).toBeLessThan(150);
    // The room goes on, with everything written (read over HTTP: a client syncing 30 MB would
    // pass this test's 2 MiB cap itself).
    const notes = await api<{ total: number }>(server.url, anne.token, 'GET', '/api/notes/p1/annotations');
    expect(notes.body.total).toBe(1_510);
  });

  it('closes a socket that neither brings ?token= nor authenticates in time with 4408', async () => {
    server = await startTestServer({ limits: { authTimeoutMs: 200 } });
    const silent = await openRawSocket(server.port, '/sync/notes/p1');
    expect(await silent.closed).toEqual({ code: CloseCode.authTimeout, reason: 'authentication timeout' });
    expect(silent.messages).toEqual([]);
    expect(server.rooms.loadedCount).toBe(0);
  });

  it('refuses a user’s sockets beyond the per-user cap with 4429, takes them again once one closes, and leaves other users alone', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerUser: 3 } });
    const anne = await server.addUser('Anne Jensen');
    const bo = await server.addUser('Bo Hansen');
    const first = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(first);
    /** Open, and answered by the server (its sync step 1), unless refused. */
    const answered = async (path: string) => {
      const socket = await openRawSocket(server.port, `/sync/${path}?token=${anne.token}`);
      await socket.waitForMessages(1);
      return socket;
    };
    // Opened at once, four sockets race for the last two seats while their rooms load.
    const racing = await Promise.all(['notes/p1', 'notes/p2', 'notes/p3', 'notes/p4'].map(answered));
    const refused = racing.filter((socket) => socket.isClosed);
    const kept = racing.filter((socket) => !socket.isClosed);
    expect(kept).toHaveLength(2);
    expect(await Promise.all(refused.map((socket) => socket.closed))).toEqual([
      { code: CloseCode.rateLimited, reason: 'too many connections for one user (at most 3)' },
      { code: CloseCode.rateLimited, reason: 'too many connections for one user (at most 3)' },
    ]);

    // Another user is not affected; a seat Anne frees is hers again.
    clients.push(await connectSynced(server.wsUrl, 'notes/p1', bo.token));
    kept[0]?.destroy();
    const again = await waitFor(
      async () => {
        const socket = await answered('notes/p5');
        if (socket.isClosed) return null;
        return socket;
      },
      { what: 'the seat of the closed socket' },
    );
    expect(again.messages.length).toBeGreaterThan(0);
    again.destroy();
    kept[1]?.destroy();
  });

  it('overwrites presence names with the authenticated user, and keeps one client from speaking for another', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const annes = await connectSynced(server.wsUrl, 'shared/udvalg/p1', anne.token);
    const bos = await connectSynced(server.wsUrl, 'shared/udvalg/p1', bo.token);
    clients.push(annes, bos);
    bos.provider.awareness.setLocalState({ user: { name: 'Anne Jensen', id: anne.id, color: '#00ff00' }, page: 4 });
    annes.provider.awareness.setLocalState({ user: { name: 'Anne Jensen', color: '#ff0000' }, page: 1 });
    await waitFor(() => annes.provider.awareness.getStates().get(bos.doc.clientID)?.page === 4, { what: "Bo's presence" });
    expect(annes.provider.awareness.getStates().get(bos.doc.clientID)?.user).toEqual({ name: 'Bo Hansen', id: bo.id, color: '#00ff00' });
    await waitFor(() => bos.provider.awareness.getStates().get(annes.doc.clientID)?.page === 1, { what: "Anne's presence" });

    // A hand-written client claims Anne's awareness client id: ignored.
    const raw = await openRawSocket(server.port, `/sync/shared/udvalg/p1?token=${bo.token}`);
    raw.sendBinary(awarenessEntry(annes.doc.clientID, 1_000, { user: { name: 'Anne Jensen' }, page: 666 }));
    raw.sendBinary(awarenessEntry(424242, 1, { page: 7 }));
    raw.sendBinary(queryAwareness());
    await waitFor(() => awarenessStates(raw.messages).get(424242)?.page === 7, { what: 'the raw client presence' });
    expect(awarenessStates(raw.messages).get(424242)?.user).toEqual({ name: 'Bo Hansen', id: bo.id });
    expect(bos.provider.awareness.getStates().get(annes.doc.clientID)?.page).toBe(1);
    // Malformed presence closes only that socket.
    raw.sendBinary(awarenessEntry(424242, 2, 'not an object'));
    expect((await raw.closed).code).toBe(CloseCode.badMessage);
    expect(annes.provider.wsconnected && bos.provider.wsconnected).toBe(true);
  });

  it('takes a 10,000-note import sent as 10,000 updates in one burst, with default limits', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const importer = await connectSynced(server.wsUrl, 'notes/p1', anne.token, { ack: '1' });
    const reader = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(importer, reader);
    for (let i = 0; i < 10_000; i++) insertAnnotation(importer.doc, pageNote(`n${i}`, `note ${i}`), null, '2026-01-01T10:00:00Z');
    await waitFor(() => liveAnnotations(reader.doc).length === 10_000, { timeoutMs: 60_000, what: '10,000 notes at the reader' });
    expect(importer.provider.wsconnected).toBe(true);
    const fresh = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(fresh);
    expect(liveAnnotations(fresh.doc)).toHaveLength(10_000);
  });

  it('takes a 13 MB first sync of a big room from an unmodified client', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const client = connectClient(server.wsUrl, 'notes/big', anne.token);
    clients.push(client);
    client.doc.transact(() => {
      for (let i = 0; i < 1_300; i++)
        insertAnnotation(client.doc, pageNote(`n${i}`, `${i} `.padEnd(10_000, 'x')), null, '2026-01-01T10:00:00Z');
    });
    expect(Y.encodeStateAsUpdate(client.doc).byteLength).toBeGreaterThan(13_000_000);
    await waitFor(() => client.provider.synced, { timeoutMs: 60_000, what: 'the first sync' });
    const reader = await connectSynced(server.wsUrl, 'notes/big', anne.token);
    clients.push(reader);
    await waitFor(() => liveAnnotations(reader.doc).length === 1_300, { timeoutMs: 60_000, what: 'the big room at a second client' });
    expect(client.provider.wsconnected).toBe(true);
  });
});
