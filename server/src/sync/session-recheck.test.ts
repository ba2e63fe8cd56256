/** Re-checking open sessions: one lookup per token and membership a round; revoked ends with 4401, a lost membership with 4404. */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import type { Connection } from './connection.ts';
import { type Session, SessionRecheck } from './session-recheck.ts';

function connection(): Connection & { closedWith: number | null } {
  const fake = {
    closed: false,
    closedWith: null as number | null,
    close(code: number) {
      fake.closed = true;
      fake.closedWith = code;
    },
  };
  return fake as unknown as Connection & { closedWith: number | null };
}

describe('the session re-check', () => {
  it('closes the sessions of a revoked token and of a lost membership, looking each up once a round', async () => {
    const sessions: Session[] = [
      { connection: connection(), token: 'anne-laptop', groupId: null },
      { connection: connection(), token: 'anne-laptop', groupId: 'udvalg' },
      { connection: connection(), token: 'bo', groupId: 'udvalg' },
      { connection: connection(), token: 'revoked', groupId: null },
      { connection: null, token: null, groupId: null }, // still authenticating
    ];
    const lookups: string[] = [];
    const recheck = new SessionRecheck({
      intervalMs: 60_000,
      sessions: () => sessions,
      authenticate: async (token) => {
        lookups.push(token);
        return token === 'revoked' ? undefined : { id: token === 'bo' ? 'bo' : 'anne' };
      },
      isMember: async (group, user) => {
        lookups.push(`${group}/${user}`);
        return user === 'anne';
      },
      log: silentLogger,
    });
    await recheck.recheck();
    recheck.stop();
    const closed = sessions.map((s) => (s.connection as (Connection & { closedWith: number | null }) | null)?.closedWith ?? null);
    expect(closed).toEqual([null, null, CloseCode.notFound, CloseCode.unauthorized, null]);
    expect(lookups).toEqual(['anne-laptop', 'udvalg/anne', 'bo', 'udvalg/bo', 'revoked']);
  });
});
