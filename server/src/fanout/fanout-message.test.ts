import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { decodeFanoutMessage, encodeFanoutMessage, FanoutKind, publishedRows, type RoomMessage } from './fanout-message.ts';

describe('fan-out messages', () => {
  it('carry updates with their seqs, presence and queries unchanged from one process to another', () => {
    const updates: RoomMessage = {
      kind: FanoutKind.updates,
      rows: [
        { seq: 7, data: Uint8Array.of(1, 2, 3) },
        { seq: 8, data: null },
      ],
    };
    expect(decodeFanoutMessage(encodeFanoutMessage('p1', updates))).toEqual({ from: 'p1', message: updates });
    const awareness: RoomMessage = { kind: FanoutKind.awareness, update: Uint8Array.of(1, 9, 1, 2, 123, 125) };
    expect(decodeFanoutMessage(encodeFanoutMessage('p2', awareness))).toEqual({ from: 'p2', message: awareness });
    const query: RoomMessage = { kind: FanoutKind.awarenessQuery };
    expect(decodeFanoutMessage(encodeFanoutMessage('p3', query))).toEqual({ from: 'p3', message: query });
  });

  it('refuses another version, an unknown kind and trailing bytes instead of guessing', () => {
    const message = (version: number, kind: number, extra: number[] = []) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, version);
      encoding.writeVarString(e, 'p1');
      encoding.writeVarUint(e, kind);
      if (kind === FanoutKind.updates) encoding.writeVarUint(e, 0);
      for (const byte of extra) encoding.writeUint8(e, byte);
      return encoding.toUint8Array(e);
    };
    expect(() => decodeFanoutMessage(message(1, FanoutKind.updates))).not.toThrow();
    expect(() => decodeFanoutMessage(message(2, FanoutKind.updates))).toThrow(/version/);
    expect(() => decodeFanoutMessage(message(1, 9))).toThrow(/unknown/);
    expect(() => decodeFanoutMessage(message(1, FanoutKind.updates, [0]))).toThrow(/trailing/);
  });

  it('leaves out the data of updates past the size budget, so receivers read them from storage', () => {
    const rows = [
      { seq: 1, data: new Uint8Array(600) },
      { seq: 2, data: new Uint8Array(600) },
      { seq: 3, data: new Uint8Array(300) },
    ];
    expect(publishedRows(rows, 1_000).map((r) => [r.seq, r.data?.byteLength ?? null])).toEqual([
      [1, 600],
      [2, null],
      [3, 300],
    ]);
  });
});
