import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AwarenessError, MAX_AWARENESS_STATE_CHARS, rewriteAwareness } from './awareness-filter.ts';

const user = { userId: 'u1', userName: 'Anne Jensen' };

function entries(list: Array<[number, number, string]>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, list.length);
  for (const [id, clock, state] of list) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  }
  return encoding.toUint8Array(e);
}

function decode(update: Uint8Array): Map<number, unknown> {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(awareness, update, null);
  return awareness.getStates();
}

describe('awareness rewriting', () => {
  it('sets the authenticated name and id, keeping the rest of the state', () => {
    const { update, clientIds } = rewriteAwareness(
      entries([[7, 1, '{"user":{"name":"Mallory","color":"#f00"},"page":3}']]),
      user,
      () => true,
    );
    expect(clientIds).toEqual([7]);
    expect(decode(update).get(7)).toEqual({ user: { name: 'Anne Jensen', id: 'u1', color: '#f00' }, page: 3 });
  });

  it('drops entries for client ids the peer may not use, and passes removals (null)', () => {
    const { clientIds } = rewriteAwareness(
      entries([
        [1, 1, '{}'],
        [2, 1, 'null'],
      ]),
      user,
      (id) => id !== 1,
    );
    expect(clientIds).toEqual([2]);
  });

  it.each([
    ['not JSON', entries([[1, 1, '{']])],
    ['an array state', entries([[1, 1, '[]']])],
    ['an oversized state', entries([[1, 1, JSON.stringify({ x: 'y'.repeat(MAX_AWARENESS_STATE_CHARS) })]])],
    ['trailing bytes', Uint8Array.of(...entries([[1, 1, '{}']]), 9)],
  ])('refuses %s', (_what, update) => {
    expect(() => rewriteAwareness(update, user, () => true)).toThrow(AwarenessError);
  });

  it('refuses a truncated update', () => {
    expect(() => rewriteAwareness(Uint8Array.of(3, 1), user, () => true)).toThrow();
  });
});
