/**
 * When a room folds its log, on the test clock: once it has been quiet, at the latest after the
 * maximum wait, near the size cap at most every two seconds, never while a batch runs.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../log.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import { Compaction } from './compaction.ts';
import { RoomSize } from './room-size.ts';
import { testClock } from './test-clock.ts';

const LIMITS = { compactAfterUpdates: 3, compactQuietMs: 250, compactMaxWaitMs: 2_000 };
/** What the (empty) doc's snapshot weighs. */
const SNAPSHOT_BYTES = Y.encodeStateAsUpdate(new Y.Doc()).byteLength;

/** A room that has logged `updates` updates of 10 bytes after no snapshot, with a cap of `maxDocBytes`. */
function setUp({ updates = 3, maxDocBytes = 1 << 20 } = {}) {
  const clock = testClock();
  const loaded: StoredDoc = { snapshot: null, updates: [], seq: 0, bytes: 0 };
  const size = new RoomSize(loaded, maxDocBytes, null);
  for (let i = 0; i < updates; i++) size.logged(10);
  const stored: Array<{ seq: number; bytes: number }> = [];
  let idle = true;
  let fail = false;
  const held = { through: updates };
  const storage = {
    compact: async (_room: string, snapshot: Uint8Array, seq: number) => {
      if (fail) throw new Error('disk full');
      stored.push({ seq, bytes: snapshot.byteLength });
    },
  };
  const hooks = { idle: () => idle, broken: () => false };
  const live = { doc: new Y.Doc() };
  const compaction = new Compaction({ room: 'notes/u/p', size, limits: LIMITS, clock, log: silentLogger, live, storage, hooks }, held);
  return {
    clock,
    size,
    compaction,
    stored,
    setIdle: (value: boolean) => {
      idle = value;
    },
    setFail: (value: boolean) => {
      fail = value;
    },
    write: () => {
      size.logged(10);
      held.through++;
    },
  };
}

/** Lets a compaction the timer started finish (the store is a promise). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('compaction', () => {
  it('waits until the room has been quiet for compactQuietMs, each batch starting the wait again', async () => {
    const { clock, compaction, stored, size, write } = setUp();
    await compaction.afterBatch();
    clock.advance(200);
    write();
    await compaction.afterBatch(); // a batch 200 ms in: the wait starts again
    clock.advance(249);
    await settle();
    expect(stored).toEqual([]);
    clock.advance(1);
    await settle();
    expect(stored).toEqual([{ seq: 4, bytes: SNAPSHOT_BYTES }]);
    expect(size.sinceSnapshot).toBe(0);
    expect(size.bytes).toBe(SNAPSHOT_BYTES);
  });

  it('is not due before compactAfterUpdates updates, nor while the log is smaller than the snapshot', async () => {
    const { clock, compaction, stored } = setUp({ updates: 2 });
    await compaction.afterBatch();
    clock.advance(10_000);
    await settle();
    expect(stored).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('compacts at once in a room that has been due for compactMaxWaitMs without ever being quiet', async () => {
    const { clock, compaction, stored, write } = setUp();
    for (let at = 0; at < 2_000; at += 200) {
      await compaction.afterBatch();
      clock.advance(200);
      write();
    }
    expect(stored).toEqual([]);
    await compaction.afterBatch();
    expect(stored).toEqual([{ seq: 13, bytes: SNAPSHOT_BYTES }]);
    expect(clock.pending).toBe(0);
  });

  it('does not compact while a batch runs when the quiet time ends; the end of the batch starts the wait again', async () => {
    const { clock, compaction, stored, setIdle } = setUp();
    await compaction.afterBatch();
    setIdle(false);
    clock.advance(250);
    await settle();
    expect(stored).toEqual([]);
    setIdle(true);
    await compaction.afterBatch();
    clock.advance(250);
    await settle();
    expect(stored).toHaveLength(1);
  });

  it('after a failure, the log stays as it was and the next batch makes it due again', async () => {
    const { clock, compaction, stored, size, setFail } = setUp();
    setFail(true);
    await compaction.afterBatch();
    clock.advance(250);
    await settle();
    expect(size.sinceSnapshot).toBe(3);
    setFail(false);
    await compaction.afterBatch();
    clock.advance(250);
    await settle();
    expect(stored).toHaveLength(1);
  });

  it('near the size cap folds the log before the writes are weighed, at most every two seconds', async () => {
    const { clock, compaction, stored, write } = setUp({ updates: 3, maxDocBytes: 32 });
    await compaction.beforeWrites(); // 30 of 32 bytes: past 90 %
    expect(stored).toHaveLength(1);
    for (let i = 0; i < 3; i++) write(); // the snapshot + 30 bytes
    await compaction.beforeWrites();
    clock.advance(1_999);
    await compaction.beforeWrites();
    expect(stored).toHaveLength(1);
    clock.advance(1);
    await compaction.beforeWrites();
    expect(stored).toHaveLength(2);
  });
});
