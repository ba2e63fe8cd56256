import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { readAuthToken } from './auth-frame.ts';

const frame = (...write: Array<(e: encoding.Encoder) => void>) => {
  const e = encoding.createEncoder();
  for (const w of write) w(e);
  return encoding.toUint8Array(e);
};

describe('auth frame', () => {
  it('reads the token of [2, 1, token]', () => {
    expect(
      readAuthToken(
        frame(
          (e) => encoding.writeVarUint(e, 2),
          (e) => encoding.writeVarUint(e, 1),
          (e) => encoding.writeVarString(e, 'rn_x'),
        ),
      ),
    ).toBe('rn_x');
  });

  it.each([
    [
      'a sync message',
      frame(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 0),
      ),
    ],
    [
      'permission denied',
      frame(
        (e) => encoding.writeVarUint(e, 2),
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarString(e, 'x'),
      ),
    ],
    ['a truncated message', Uint8Array.of(2, 1, 50)],
    ['trailing bytes', Uint8Array.of(2, 1, 1, 65, 0)],
    [
      'an oversized frame',
      frame(
        (e) => encoding.writeVarUint(e, 2),
        (e) => encoding.writeVarUint(e, 1),
        (e) => encoding.writeVarString(e, 'x'.repeat(2000)),
      ),
    ],
  ])('is not fooled by %s', (_what, bytes) => {
    expect(readAuthToken(bytes)).toBeNull();
  });
});
