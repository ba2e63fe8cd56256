/**
 * Rooms over time: the update log is compacted into snapshots so storage and load stay bounded,
 * idle rooms leave memory, and a client is never answered before its room has loaded.
 */

import { existsSync, statSync } from 'node:fs';
import { insertAnnotation, liveAnnotations, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type AckWriter, openAckWriter, pageNote } from '../support/ack-writer.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { readStoredDoc, storedSizes } from '../support/stored-doc.ts';
import { openTestDatabase, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectClient, connectSynced } from '../support/yjs-clients.ts';
import { applyServerMessages, decodeServerMessage, lastAck, syncStep1, syncUpdate } from '../support/yjs-frames.ts';

describe('room lifecycle', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const writers: AckWriter[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await server?.close();
  });

  it('compacts the update log into a snapshot once the room is quiet, so storage and the rows read at load stay bounded', async () => {
    const compactAfterUpdates = 50;
    // Never forced by the wait: only a quiet moment compacts here.
    server = await startTestServer({ limits: { compactAfterUpdates, compactQuietMs: 50, compactMaxWaitMs: 600_000 } });
    const anne = await server.addUser('Anne Jensen');
    const room = `notes/${anne.id}/p1`;
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    writers.push(writer);
    const id = writer.write('første udkast');
    // 2,000 edits of one 2 KB note: 4 MB sent, one note's worth worth keeping.
    for (let round = 1; round <= 200; round++) {
      for (let i = 0; i < 10; i++) writer.edit(id, `${round}-${i} `.padEnd(2_000, 'x'));
      await waitFor(() => writer.acked === writer.sent.length, { what: `acks of round ${round}` });
    }
    // No write since: the whole log is folded into the snapshot.
    await waitFor(async () => (await storedSizes(server.database, room)).logRows === 0, { what: 'the log folded' });
    const { snapshotBytes } = await storedSizes(server.database, room);
    expect(snapshotBytes).toBeGreaterThan(0);
    expect(snapshotBytes).toBeLessThan(200_000);
    expect(readAnnotations(await readStoredDoc(server.database, room))[0]?.body.startsWith('200-9 ')).toBe(true);
  });

  // Compaction on stop folded the log, but SQLite kept its pages: a 4.5 MiB room left a 10.7 MiB
  // file after a graceful stop (bench:sync, docs/PERFORMANCE.md, twelfth round).
  it.skipIf(testBackend !== 'sqlite')(
    "leaves one file of about its rooms' size after a graceful stop: the log folded, its pages released, no WAL",
    async () => {
      // Nothing is compacted before the stop.
      server = await startTestServer({ limits: { compactAfterUpdates: 1_000_000 } });
      const anne = await server.addUser('Anne Jensen');
      const room = `notes/${anne.id}/p1`;
      const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
      writers.push(writer);
      for (let i = 0; i < 2_000; i++) writer.write(`note ${i} `.padEnd(500, 'x'));
      await waitFor(() => writer.acked === 2_000, { timeoutMs: 30_000, what: '2,000 notes acknowledged' });
      writer.close();
      const logged = await storedSizes(server.database, room);
      expect(logged.logRows).toBeGreaterThan(1_000);
      await server.close();

      const { logRows, snapshotBytes } = await storedSizes(server.database, room);
      expect(logRows).toBe(0);
      expect(existsSync(`${server.database}-wal`)).toBe(false);
      const sqlite = new SQLite(server.database, { readonly: true });
      try {
        expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
      } finally {
        sqlite.close();
      }
      // An empty database's pages (its tables and indexes), the snapshot and a little: the 1 MB
      // log it replaced is gone from the file.
      const empty = await startTestServer();
      await empty.close();
      expect(statSync(server.database).size).toBeLessThan(statSync(empty.database).size + snapshotBytes + 128 * 1024);
      expect(readAnnotations(await readStoredDoc(server.database, room))).toHaveLength(2_000);
    },
  );

  it('still compacts a room that is never quiet, once compaction has waited compactMaxWaitMs', async () => {
    const compactAfterUpdates = 50;
    server = await startTestServer({ limits: { compactAfterUpdates, compactQuietMs: 600_000, compactMaxWaitMs: 100 } });
    const anne = await server.addUser('Anne Jensen');
    const room = `notes/${anne.id}/p1`;
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    writers.push(writer);
    const id = writer.write('første udkast');
    // Edits without a pause, until the log has been folded twice (at most 2,000 rounds or 20 s).
    let folds = 0;
    let lastRows = 0;
    const deadline = Date.now() + 20_000;
    for (let round = 1; round <= 2_000 && folds < 2 && Date.now() < deadline; round++) {
      for (let i = 0; i < 10; i++) writer.edit(id, `${round}-${i} `.padEnd(500, 'x'));
      await waitFor(() => writer.acked === writer.sent.length, { what: `acks of round ${round}` });
      const { logRows } = await storedSizes(server.database, room);
      if (logRows < lastRows) folds++;
      lastRows = logRows;
    }
    expect(folds).toBe(2);
    expect((await storedSizes(server.database, room)).snapshotBytes).toBeGreaterThan(0);
  });

  it('compacts a growing room once its log is as big as its snapshot, so it is not re-encoded whole every few updates', async () => {
    const compactAfterUpdates = 50;
    // Compaction as soon as the room is idle: the bound is checked after every round.
    server = await startTestServer({ limits: { compactAfterUpdates, compactQuietMs: 0 } });
    const anne = await server.addUser('Anne Jensen');
    const room = `notes/${anne.id}/p1`;
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    writers.push(writer);
    let maxLogRows = 0;
    for (let round = 1; round <= 60; round++) {
      for (let i = 0; i < 10; i++) writer.write(`note ${round}-${i}`);
      await waitFor(() => writer.acked === writer.sent.length, { what: `acks of round ${round}` });
      const { logRows, logBytes, snapshotStateBytes } = await storedSizes(server.database, room);
      maxLogRows = Math.max(maxLogRows, logRows);
      // Never more log than the snapshot holds, plus the updates of one threshold and one round.
      expect(logBytes).toBeLessThanOrEqual(snapshotStateBytes + (logBytes / Math.max(1, logRows)) * (compactAfterUpdates + 10));
    }
    expect(maxLogRows).toBeGreaterThan(compactAfterUpdates + 10);
    expect(readAnnotations(await readStoredDoc(server.database, room))).toHaveLength(600);
  });

  it('unloads idle rooms from memory after compacting them, and loads them again on demand', async () => {
    server = await startTestServer({ limits: { idleUnloadMs: 100 } });
    const anne = await server.addUser('Anne Jensen');
    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'n');
    for (let i = 0; i < 20; i++) writer.write();
    await waitFor(() => writer.acked === 20);
    expect(server.rooms.loadedCount).toBe(1);
    // Still connected: a quiet room with a peer stays, however long it has been quiet.
    await server.rooms.sweep(Date.now() + 60_000);
    expect(server.rooms.loadedCount).toBe(1);
    writer.close();

    await waitFor(() => server.rooms.loadedCount === 0, { what: 'the idle room to unload' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^randnoter_rooms_loaded 0$/m);
    expect(await storedSizes(server.database, `notes/${anne.id}/p1`)).toMatchObject({ logRows: 0 });

    const again = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(again);
    expect(liveAnnotations(again.doc)).toHaveLength(20);
    expect(server.rooms.loadedCount).toBe(1);
  });

  it('stores and acknowledges an update that arrives before the one it builds on, so a restart keeps it', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    insertAnnotation(source, pageNote('n1', 'første'), null, '2026-01-01T10:00:00Z');
    insertAnnotation(source, pageNote('n2', 'anden'), null, '2026-01-01T10:00:00Z');
    const [first, second] = updates as [Uint8Array, Uint8Array];
    const socket = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}&ack=1`);
    socket.sendBinary(syncUpdate(second)); // its dependency is missing: Yjs keeps it aside
    await waitFor(() => lastAck(socket.messages) === 1, { what: 'the ack of the early update' });
    socket.destroy();
    // Acknowledged means in the database already, not only in the server's memory.
    const stored = await readStoredDoc(server.database, `notes/${anne.id}/p1`);
    expect(stored.store.pendingStructs).not.toBeNull();

    const { database } = server;
    await server.close();
    server = await startTestServer({ database });
    const late = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}&ack=1`);
    late.sendBinary(syncUpdate(first));
    await waitFor(() => lastAck(late.messages) === 1, { what: 'the ack of the missing update' });
    late.destroy();
    expect(
      liveAnnotations(await readStoredDoc(database, `notes/${anne.id}/p1`))
        .map((a) => a.body)
        .sort(),
    ).toEqual(['anden', 'første']);
  });

  it('relays an update that arrives before the one it builds on, so a connected peer holds both once the missing one arrives', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const peer = await connectSynced(server.wsUrl, 'notes/p1', anne.token);
    clients.push(peer);
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    insertAnnotation(source, pageNote('n1', 'første'), null, '2026-01-01T10:00:00Z');
    insertAnnotation(source, pageNote('n2', 'anden'), null, '2026-01-01T10:00:00Z');
    const [first, second] = updates as [Uint8Array, Uint8Array];
    const socket = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}&ack=1`);
    socket.sendBinary(syncUpdate(second));
    await waitFor(() => lastAck(socket.messages) === 1, { what: 'the ack of the early update' });
    socket.sendBinary(syncUpdate(first));
    await waitFor(() => liveAnnotations(peer.doc).length === 2, { what: 'the peer to hold both notes' });
    socket.destroy();
  });

  it('drops a peer that stops answering pings, so its room can leave memory', async () => {
    // Generous next to the 2-interval deadline: client and server share this process's event loop.
    server = await startTestServer({ limits: { heartbeatMs: 250, idleUnloadMs: 50 } });
    const anne = await server.addUser('Anne Jensen');
    const alive = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}`);
    const vanished = await openRawSocket(server.port, `/sync/notes/p2?token=${anne.token}`, { answerPings: false });
    await waitFor(() => server.rooms.loadedCount === 2, { what: 'both rooms loaded' });
    await vanished.closed;
    await waitFor(() => server.rooms.loadedCount === 1, { what: 'the vanished peer’s room to unload' });
    expect(alive.isClosed).toBe(false);
    expect(server.rooms.peek(`notes/${anne.id}/p1`)).toBeDefined();
    alive.destroy();
  });

  it('pings its sockets a few at a time over the interval, so a heartbeat never stalls the relays of every room at once', async () => {
    // Before: every socket was pinged in one turn, which took about 20 ms per 1,000 sockets.
    server = await startTestServer({ limits: { heartbeatMs: 1_000 } });
    const anne = await server.addUser('Anne Jensen');
    const firstPings: number[] = [];
    const sockets = Array.from({ length: 20 }, (_, i) => {
      const socket = new WebSocket(`${server.wsUrl}/notes/p${i}?token=${anne.token}`);
      socket.once('ping', () => firstPings.push(performance.now()));
      return socket;
    });
    try {
      await waitFor(() => firstPings.length === sockets.length, { what: 'a ping at every socket', timeoutMs: 10_000 });
      // One slice a tick over the 1,000 ms interval: the first pings spread over most of it.
      expect(Math.max(...firstPings) - Math.min(...firstPings)).toBeGreaterThan(500);
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  });

  it('answers a fresh client of a room stored as one snapshot with that snapshot, and with the live doc once it was written to', async () => {
    server = await startTestServer();
    const { database } = server;
    const anne = await server.addUser('Anne Jensen');
    await server.close();
    const source = new Y.Doc();
    for (let i = 0; i < 50; i++) insertAnnotation(source, pageNote(`n${i}`, `note ${i}`), null, '2026-01-01T10:00:00Z');
    const opened = openTestDatabase(database);
    await opened.docs.compact(`notes/${anne.id}/p1`, Y.encodeStateAsUpdate(source), 1);
    await opened.close();

    server = await startTestServer({ database });
    const isStep2 = (m: Uint8Array) => {
      const decoded = decodeServerMessage(m);
      return decoded.type === 'sync' && decoded.step === SyncStep.step2;
    };
    const firstSync = async () => {
      const raw = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}`);
      raw.sendBinary(syncStep1(new Y.Doc()));
      const answer = await waitFor(() => raw.messages.find(isStep2), { what: 'the answer to sync step 1' });
      raw.destroy();
      const doc = new Y.Doc();
      applyServerMessages(doc, [answer]);
      return liveAnnotations(doc).map((a) => a.id);
    };
    expect(await firstSync()).toHaveLength(50);

    const writer = await openAckWriter(server.wsUrl, 'notes/p1', anne.token, 'late');
    writers.push(writer);
    const late = writer.write('written after the load');
    await waitFor(() => writer.ackedIds().includes(late), { what: 'the late note to be stored' });
    const ids = await firstSync();
    expect(ids).toHaveLength(51);
    expect(ids).toContain(late);
  });

  it('never answers a fresh client before its room has loaded, even when many connect at once to a room with a long log', async () => {
    // A room as a crashed server leaves it: 3,000 log rows, never compacted.
    server = await startTestServer();
    const { database } = server;
    const anne = await server.addUser('Anne Jensen');
    await server.close();
    const opened = openTestDatabase(database);
    const source = new Y.Doc();
    const rows = [];
    for (let i = 0; i < 3_000; i++) {
      const before = Y.encodeStateVector(source);
      insertAnnotation(source, pageNote(`n${i}`, `note ${i}`), null, '2026-01-01T10:00:00Z');
      rows.push({ room: `notes/${anne.id}/p1`, data: Y.encodeStateAsUpdate(source, before) });
    }
    await opened.docs.append(rows);
    await opened.close();
    expect((await storedSizes(database, `notes/${anne.id}/p1`)).logRows).toBe(3_000);

    server = await startTestServer({ database, limits: { compactAfterUpdates: 1_000_000 } });
    // Raw clients send their state vector the moment the socket opens; the first answer must be complete.
    const raws = await Promise.all([0, 1, 2].map(() => openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}`)));
    for (const raw of raws) raw.sendBinary(syncStep1(new Y.Doc()));
    // Unmodified providers: at the moment each reports "synced", it holds everything.
    const countsAtSync: number[] = [];
    const providers = [0, 1, 2, 3].map(() => {
      const client = connectClient(server.wsUrl, 'notes/p1', anne.token);
      client.provider.once('sync', () => countsAtSync.push(liveAnnotations(client.doc).length));
      return client;
    });
    clients.push(...providers);
    await waitFor(() => countsAtSync.length === providers.length, { what: 'every provider to sync' });
    expect(countsAtSync).toEqual([3_000, 3_000, 3_000, 3_000]);
    const isStep2 = (m: Uint8Array) => {
      const decoded = decodeServerMessage(m);
      return decoded.type === 'sync' && decoded.step === SyncStep.step2;
    };
    for (const raw of raws) {
      const answer = await waitFor(() => raw.messages.find(isStep2), { what: 'the answer to sync step 1' });
      const doc = new Y.Doc();
      applyServerMessages(doc, [answer]);
      expect(liveAnnotations(doc)).toHaveLength(3_000);
      raw.destroy();
    }
  });
});
