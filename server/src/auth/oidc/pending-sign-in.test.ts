import { describe, expect, it } from 'vitest';
import { PendingSignIns } from './pending-sign-in.ts';

const signIn = {
  redirectUri: 'https://ext.chromiumapp.org/',
  clientState: 'abc',
  codeChallenge: 'c'.repeat(43),
  verifier: 'v'.repeat(43),
  nonce: 'n'.repeat(43),
};

describe('a pending sign-in sealed into the state parameter', () => {
  it('opens what it sealed, and nothing else: not another secret’s, not an altered one, not an expired one', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const pending = new PendingSignIns('client secret', 600, () => now);
    const state = await pending.seal(signIn);
    expect(state).not.toContain(signIn.verifier.slice(0, 8));
    expect(await pending.open(state)).toEqual(signIn);
    expect(await new PendingSignIns('another secret', 600, () => now).open(state)).toBeNull();
    const parts = state.split('.');
    const altered = [...parts.slice(0, 3), `${parts[3]?.slice(0, -2)}AA`, parts[4]].join('.');
    expect(await pending.open(altered)).toBeNull();
    expect(await pending.open('not a state')).toBeNull();
    now = new Date(now.getTime() + 601_000);
    expect(await pending.open(state)).toBeNull();
  });
});
