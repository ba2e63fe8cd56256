/** Each message of the wire format decodes to what was encoded, byte for byte as docs/PROTOCOL.md writes it. */
import { describe, expect, it } from 'vitest';
import { MessageType, SyncStep } from './message-types.ts';
import {
  decodeMessage,
  encodeAck,
  encodeAuthMessage,
  encodeAwarenessMessage,
  encodeNotificationMessage,
  encodeQueryAwareness,
  encodeSyncMessage,
} from './wire.ts';

/** Payloads whose length takes one, two and three varUint bytes. */
const PAYLOADS = [new Uint8Array(0), Uint8Array.of(7, 0, 255), new Uint8Array(200).fill(1), new Uint8Array(20_000).fill(2)];

describe('the wire format', () => {
  it.each(Object.entries(SyncStep))('round-trips sync %s, its length a varUint before the payload', (_name, step) => {
    for (const payload of PAYLOADS) {
      const bytes = encodeSyncMessage(step, payload);
      expect(decodeMessage(bytes, { whole: true })).toEqual({ type: MessageType.sync, step, payload });
      const lengthBytes = payload.byteLength < 0x80 ? 1 : payload.byteLength < 0x4000 ? 2 : 3;
      expect(bytes.byteLength).toBe(2 + lengthBytes + payload.byteLength);
    }
    expect([...encodeSyncMessage(step, Uint8Array.of(9, 8))]).toEqual([0, step, 2, 9, 8]);
  });

  it('round-trips an awareness update: [1, varUint8Array]', () => {
    for (const update of PAYLOADS) {
      expect(decodeMessage(encodeAwarenessMessage(update), { whole: true })).toEqual({ type: MessageType.awareness, update });
    }
    expect([...encodeAwarenessMessage(Uint8Array.of(5))]).toEqual([1, 1, 5]);
  });

  it('round-trips the auth message: [2, 1, varString token]', () => {
    for (const token of ['', 'rn_abc', 'æøå-🔑', 'x'.repeat(500)]) {
      expect(decodeMessage(encodeAuthMessage(token), { whole: true })).toEqual({ type: MessageType.auth, token });
    }
    expect([...encodeAuthMessage('ab')]).toEqual([2, 1, 2, 97, 98]);
  });

  it('round-trips a notification: [101, varString json]', () => {
    for (const json of ['{}', JSON.stringify({ id: '7', quote: 'æøå "x"' })]) {
      expect(decodeMessage(encodeNotificationMessage(json), { whole: true })).toEqual({ type: MessageType.notification, json });
    }
    expect([...encodeNotificationMessage('{}')]).toEqual([101, 2, 123, 125]);
  });

  it('round-trips a presence query: [3]', () => {
    expect(decodeMessage(encodeQueryAwareness(), { whole: true })).toEqual({ type: MessageType.queryAwareness });
    expect([...encodeQueryAwareness()]).toEqual([3]);
  });

  it('round-trips an ack: [100, varUint n]', () => {
    for (const count of [0, 1, 127, 128, 2 ** 31]) {
      expect(decodeMessage(encodeAck(count), { whole: true })).toEqual({ type: MessageType.ack, count });
    }
    expect([...encodeAck(300)]).toEqual([100, 172, 2]);
  });

  it.each([
    ['an unknown message type', Uint8Array.of(4), /unexpected message type 4/],
    ['an unknown sync step', Uint8Array.of(0, 3, 0), /unknown sync step 3/],
    ["y-protocols' permission denied (never sent by clients)", Uint8Array.of(2, 0, 1, 120), /unexpected auth message 0/],
    ['a truncated payload', Uint8Array.of(0, 2, 5, 1), /./],
    ['an empty frame', new Uint8Array(0), /./],
  ])('refuses %s', (_what, bytes, error) => {
    expect(() => decodeMessage(bytes)).toThrow(error);
  });

  it('leaves bytes after a message unread, unless the frame must be the message whole', () => {
    const bytes = Uint8Array.of(...encodeQueryAwareness(), 42);
    expect(decodeMessage(bytes)).toEqual({ type: MessageType.queryAwareness });
    expect(() => decodeMessage(bytes, { whole: true })).toThrow(/bytes after the message/);
  });
});
