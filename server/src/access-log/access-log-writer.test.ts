import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log.ts';
import type { AccessEntry } from '../storage/access-log.ts';
import { AccessLogWriter } from './access-log-writer.ts';

const ROOM = { groupId: 'soc', packetId: 'p1', itemNumber: null };

describe('AccessLogWriter', () => {
  let written: AccessEntry[][];
  let time: number;
  const make = (over: Partial<{ coalesceMs: number; maxPending: number; write: (e: readonly AccessEntry[]) => Promise<void> }> = {}) =>
    new AccessLogWriter({
      write:
        over.write ??
        (async (entries) => {
          written.push([...entries]);
        }),
      clock: () => new Date(time),
      log: silentLogger,
      coalesceMs: over.coalesceMs ?? 600_000,
      flushMs: 5_000,
      maxPending: over.maxPending ?? 1_000,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    time = Date.parse('2026-12-07T10:00:00Z');
  });
  afterEach(() => vi.useRealTimers());

  it('writes nothing on the caller’s turn, and the whole batch at the next flush', async () => {
    const writer = make();
    writer.opened('u1', ROOM, 'socket');
    writer.exported('u1', ROOM, 'md', 'http');
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toHaveLength(1);
    expect(written[0]?.map((e) => e.action)).toEqual(['opened', 'exported']);
    await writer.close();
  });

  it('turns a reconnect storm into one row per user and room per window', async () => {
    const writer = make();
    for (let i = 0; i < 500; i++) writer.opened('u1', ROOM, 'socket');
    writer.opened('u1', { ...ROOM, itemNumber: 4 }, 'socket');
    writer.opened('u2', ROOM, 'socket');
    await writer.flush();
    expect(written.flat()).toHaveLength(3);
    time += 599_999;
    writer.opened('u1', ROOM, 'socket');
    await writer.flush();
    expect(written.flat()).toHaveLength(3);
    time += 1;
    writer.opened('u1', ROOM, 'socket');
    await writer.flush();
    expect(written.flat()).toHaveLength(4);
    await writer.close();
  });

  it('records every export, however close together', async () => {
    const writer = make();
    writer.exported('u1', ROOM, 'md', 'http');
    writer.exported('u1', ROOM, 'md', 'http');
    writer.ownData('u1', 'http');
    await writer.close();
    expect(written.flat().map((e) => e.action)).toEqual(['exported', 'exported', 'own-data']);
  });

  it('holds at most maxPending entries and keeps a failed batch for the next flush', async () => {
    let fail = true;
    const writer = make({
      maxPending: 3,
      write: async (entries) => {
        if (fail) throw new Error('database away');
        written.push([...entries]);
      },
    });
    for (let i = 0; i < 10; i++) writer.exported(`u${i}`, ROOM, 'csv', 'http');
    expect(writer.pending).toBe(3);
    await writer.flush();
    expect(writer.pending).toBe(3);
    fail = false;
    await writer.flush();
    expect(written.flat().map((e) => e.userId)).toEqual(['u0', 'u1', 'u2']);
    await writer.close();
  });
});
