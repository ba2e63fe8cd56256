import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../log.ts';
import { CommitQueue } from '../storage/commit-queue.ts';
import type { PendingUpdate } from '../storage/doc-store.ts';
import { NextTurn } from './next-turn.ts';
import { Room, type RoomStorage } from './room.ts';
import { testPeer } from './test-peer.ts';

const LIMITS = {
  maxDocBytes: 1 << 30,
  maxPresenceBytes: 256 * 1024,
  maxUpdateStructs: 250_000,
  compactAfterUpdates: 1_000_000,
  compactQuietMs: 250,
  compactMaxWaitMs: 2_000,
};
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function note(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('notes').set(key, 'tekst');
  return Y.encodeStateAsUpdate(doc);
}

describe('rooms sharing one turn', () => {
  it('commit what several rooms receive in one turn as one transaction, and relay and ack it within that turn', async () => {
    const transactions: string[][] = [];
    let seq = 0;
    const queue = new CommitQueue(async (updates: readonly PendingUpdate[]) => {
      transactions.push(updates.map((u) => u.room));
      return updates.map(() => ++seq);
    });
    const storage: RoomStorage = {
      load: async () => ({ snapshot: null, updates: [], seq: 0, bytes: 0 }),
      append: (rows) => queue.append(rows),
      appendExclusive: async () => [],
      compact: async () => {},
    };
    const turn = new NextTurn();
    const rooms = await Promise.all(['a', 'b', 'c'].map((name) => Room.load({ name, storage, limits: LIMITS, log: silentLogger, turn })));
    const pairs = rooms.map((room) => {
      const writer = testPeer();
      const reader = testPeer();
      room.join(writer);
      room.join(reader);
      return { room, writer, reader };
    });
    await nextTurn();

    for (const { room, writer } of pairs) room.receiveUpdate(note(room.name), writer);
    // Queued after the rooms' turn: by then every write is committed, relayed and acknowledged.
    await nextTurn();
    expect(transactions).toEqual([['a', 'b', 'c']]);
    expect(pairs.map(({ reader, writer }) => [reader.updates, writer.acked])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    for (const room of rooms) room.destroy();
  });
});
