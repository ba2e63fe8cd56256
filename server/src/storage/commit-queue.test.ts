import { describe, expect, it } from 'vitest';
import { CommitQueue } from './commit-queue.ts';
import type { PendingUpdate } from './doc-store.ts';

const row = (room: string): PendingUpdate => ({ room, data: new Uint8Array([1]) });

/** A writer whose transactions finish when the test says so; seqs count on across them. */
function heldWriter() {
  const transactions: Array<{ rooms: string[]; finish: () => void }> = [];
  let seq = 0;
  const write = (updates: readonly PendingUpdate[]) =>
    new Promise<number[]>((resolve) => {
      const seqs = updates.map(() => ++seq);
      transactions.push({ rooms: updates.map((u) => u.room), finish: () => resolve(seqs) });
    });
  return { write, transactions };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the commit queue', () => {
  it('writes the appends of one callback as one transaction, at once, and gives each caller its seqs', async () => {
    const { write, transactions } = heldWriter();
    const queue = new CommitQueue(write);
    const a = queue.append([row('a'), row('a')]);
    const b = queue.append([row('b')]);
    await Promise.resolve();
    expect(transactions.map((t) => t.rooms)).toEqual([['a', 'a', 'b']]);
    transactions[0]?.finish();
    expect(await a).toEqual([1, 2]);
    expect(await b).toEqual([3]);
  });

  it('collects what is appended while a transaction is in flight into the next one, in order', async () => {
    const { write, transactions } = heldWriter();
    const queue = new CommitQueue(write);
    const first = queue.append([row('a')]);
    await Promise.resolve();
    const second = queue.append([row('b')]);
    await nextTurn();
    const third = queue.append([row('c')]);
    await nextTurn();
    expect(transactions.map((t) => t.rooms)).toEqual([['a']]);
    transactions[0]?.finish();
    await first;
    await Promise.resolve();
    expect(transactions.map((t) => t.rooms)).toEqual([['a'], ['b', 'c']]);
    transactions[1]?.finish();
    expect([await second, await third]).toEqual([[2], [3]]);
  });
});
