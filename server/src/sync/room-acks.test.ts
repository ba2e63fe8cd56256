/**
 * What a room acknowledges is stored. Two ways it once was not (both found by
 * test/convergence/rooms-across-processes.test.ts): an update Yjs set aside next to others it had
 * set aside already, and an update that reached a room already unloaded.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../log.ts';
import { applyStored } from './live-doc.ts';
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

function memoryStorage() {
  const log: Uint8Array[] = [];
  const storage: RoomStorage = {
    load: async () => ({ snapshot: null, updates: [...log], seq: log.length, bytes: 0 }),
    append: async (rows) => rows.map((row) => log.push(row.data)),
    appendExclusive: async () => [],
    compact: async () => {},
  };
  return { storage, log };
}

/** Three edits of one client, each building on the one before. */
function chainOfEdits(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const word of ['one ', 'two ', 'three ']) doc.getText('t').insert(doc.getText('t').length, word);
  return updates;
}

describe('updates set aside until what they build on arrives', () => {
  it('stores and relays the second one too, though Yjs merges it into what it already set aside', async () => {
    const { storage, log } = memoryStorage();
    const room = await Room.load({ name: 'notes/u/p', storage, limits: LIMITS, log: silentLogger });
    const writer = testPeer();
    const reader = testPeer();
    room.join(writer);
    room.join(reader);
    const [first, second, third] = chainOfEdits() as [Uint8Array, Uint8Array, Uint8Array];

    // The first edit is late (it went to another server process, say): the other two wait for it.
    room.receiveUpdate(second, writer);
    room.receiveUpdate(third, writer);
    await room.drained();
    expect(writer.acked).toBe(2);
    expect(reader.updates).toBe(2);

    // What the room acknowledged is stored: with the first edit, storage gives the whole text.
    const stored = new Y.Doc();
    applyStored(stored, { snapshot: null, updates: [first, ...log], seq: 0, bytes: 0 }, (error) => {
      throw error;
    });
    expect(stored.getText('t').toString()).toBe('one two three ');
    room.destroy();
  });

  it('acknowledges nothing once unloaded: a late update is left to the client to send again', async () => {
    const { storage, log } = memoryStorage();
    const room = await Room.load({ name: 'notes/u/p', storage, limits: LIMITS, log: silentLogger });
    const writer = testPeer();
    room.join(writer);
    await room.drained();
    room.destroy();

    room.receiveUpdate(chainOfEdits()[0] as Uint8Array, writer);
    await room.drained();
    expect(writer.acked).toBe(0);
    expect(log).toEqual([]);
  });
});
