/**
 * A room that shares its document with other server processes: what they committed arrives as
 * seq-numbered updates (or only their seqs) and is applied and relayed, never stored again; a
 * hole is read from storage; an intent first sees everything committed before it.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Fanout } from '../fanout/fanout.ts';
import { FanoutKind, type RoomMessage } from '../fanout/fanout-message.ts';
import { silentLogger } from '../log.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import { GAP_WAIT_MS } from './catch-up.ts';
import { Room, type RoomStorage } from './room.ts';
import { testClock } from './test-clock.ts';
import { testPeer } from './test-peer.ts';

const ROOM = 'shared/g/p';
const LIMITS = {
  maxDocBytes: 1 << 30,
  maxPresenceBytes: 256 * 1024,
  maxUpdateStructs: 250_000,
  compactAfterUpdates: 1_000_000,
  compactQuietMs: 250,
  compactMaxWaitMs: 2_000,
};

/** The database as other processes left it: a gapless log with a head. */
function sharedStorage() {
  const log: Array<{ seq: number; data: Uint8Array }> = [];
  const appended: Uint8Array[] = [];
  const read = (after: number): StoredDoc => {
    const updates = log.filter((r) => r.seq > after);
    return { snapshot: null, updates: updates.map((r) => r.data), seq: log.at(-1)?.seq ?? after, bytes: 0 };
  };
  const add = (data: Uint8Array) => {
    const seq = (log.at(-1)?.seq ?? 0) + 1;
    log.push({ seq, data });
    return seq;
  };
  /** What this room stores itself. */
  const store = (data: Uint8Array) => {
    appended.push(data);
    return add(data);
  };
  const storage: RoomStorage = {
    load: async (_room, after = 0) => read(after),
    append: async (rows) => rows.map((r) => store(r.data)),
    appendExclusive: async (_room, after, build) => build(read(after)).map(store),
    compact: async () => {},
  };
  return { storage, log, appended, commitElsewhere: add };
}

function fakeFanout() {
  const published: RoomMessage[] = [];
  let hear: (message: RoomMessage) => void = () => {};
  const fanout: Fanout = {
    async join(_room, listener) {
      hear = listener;
      return { publish: (message) => published.push(message), close() {} };
    },
    onReconnect() {},
    async close() {},
  };
  return { fanout, published, hear: (message: RoomMessage) => hear(message) };
}

/** An update that adds `key` to the room's map, as another process's client would send it. */
function change(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, true);
  return Y.encodeStateAsUpdate(doc);
}

const keys = (room: Room) => room.read((doc) => [...doc.getMap('m').keys()].sort());

describe('a room shared with other processes', () => {
  it('applies and relays what another process committed, without storing it again', async () => {
    const { storage, appended, commitElsewhere } = sharedStorage();
    const { fanout, hear } = fakeFanout();
    const room = await Room.load({ name: ROOM, storage, limits: LIMITS, log: silentLogger, fanout });
    const reader = testPeer();
    room.join(reader);
    const data = change('a');
    hear({ kind: FanoutKind.updates, rows: [{ seq: commitElsewhere(data), data }] });
    await vi.waitFor(async () => expect(await keys(room)).toEqual(['a']));
    expect(reader.updates).toBe(1);
    expect(room.appliedSeq).toBe(1);
    expect(appended).toEqual([]);
    room.destroy();
  });

  it('reads a hole in the seqs from storage, and an update published without its data at once', async () => {
    const { storage, commitElsewhere } = sharedStorage();
    const { fanout, hear } = fakeFanout();
    const clock = testClock();
    const room = await Room.load({ name: ROOM, storage, limits: LIMITS, log: silentLogger, fanout, clock });
    commitElsewhere(change('lost')); // seq 1: its message never arrives
    const second = change('heard');
    hear({ kind: FanoutKind.updates, rows: [{ seq: commitElsewhere(second), data: second }] });
    expect(await keys(room)).toEqual(['heard']);
    expect(room.appliedSeq).toBe(0); // seq 2 is held, seq 1 is not yet
    // The hole may yet be filled by a message on its way: it is read only once it stayed open.
    clock.advance(GAP_WAIT_MS - 1);
    expect(await keys(room)).toEqual(['heard']);
    clock.advance(1);
    expect(await keys(room)).toEqual(['heard', 'lost']);
    expect(room.appliedSeq).toBe(2);
    expect(clock.pending).toBe(0);

    hear({ kind: FanoutKind.updates, rows: [{ seq: commitElsewhere(change('too big to publish')), data: null }] });
    expect(await keys(room)).toContain('too big to publish');
    expect(room.appliedSeq).toBe(3);
    room.destroy();
  });

  it('lets an intent decide on everything committed before it, heard or not, and publishes it with its seq', async () => {
    const { storage, commitElsewhere } = sharedStorage();
    const { fanout, published } = fakeFanout();
    const room = await Room.load({ name: ROOM, storage, limits: LIMITS, log: silentLogger, fanout });
    commitElsewhere(change('c1')); // another process created c1; its message is still on the way
    const sawIt = await room.change((doc) => {
      const exists = doc.getMap('m').has('c1');
      if (!exists) doc.getMap('m').set('c1', 'a second c1');
      return exists;
    });
    expect(sawIt).toBe(true);
    expect(room.appliedSeq).toBe(1);
    // Nothing was written, so nothing is published; a real change is, with the next seq.
    await room.change((doc) => doc.getMap('m').set('c2', true));
    const updates = published.filter((m) => m.kind === FanoutKind.updates);
    expect(updates.map((m) => m.kind === FanoutKind.updates && m.rows.map((r) => r.seq))).toEqual([[2]]);
    room.destroy();
  });
});
