/** Re-checking sockets on closed items' rooms: one lookup per user and room a round; no access any more ends with 4404. */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import type { ClosedRoomRef } from '@randnoter/shared/protocol/rooms';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { ClosedAccessRecheck } from './closed-access-recheck.ts';
import type { Connection } from './connection.ts';

type FakeConnection = Connection & { closedWith: number | null };

function connection(userId: string, room: string): FakeConnection {
  const fake = {
    userId,
    room: { name: room },
    closed: false,
    closedWith: null as number | null,
    close(code: number) {
      fake.closed = true;
      fake.closedWith = code;
    },
  };
  return fake as unknown as FakeConnection;
}

const item = (n: number): ClosedRoomRef => ({ kind: 'closed', groupId: 'udvalg', packetId: 'p1', itemNumber: n });

describe('the closed-access re-check', () => {
  it('closes the sockets of users who may no longer read their item, looking each user and room up once a round', async () => {
    const sessions = [
      { connection: connection('anne', 'closed/udvalg/p1/3'), closedItem: item(3) },
      { connection: connection('anne', 'closed/udvalg/p1/3'), closedItem: item(3) }, // her second device
      { connection: connection('dan', 'closed/udvalg/p1/3'), closedItem: item(3) },
      { connection: connection('dan', 'closed/udvalg/p1/4'), closedItem: item(4) },
      { connection: connection('dan', 'shared/udvalg/p1'), closedItem: null },
    ];
    const lookups: string[] = [];
    const recheck = new ClosedAccessRecheck({
      intervalMs: 60_000,
      sessions: () => sessions,
      mayReadClosed: async (ref, user) => {
        lookups.push(`${ref.itemNumber}/${user}`);
        return user === 'anne' || ref.itemNumber === 4;
      },
      log: silentLogger,
    });
    await recheck.recheck();
    recheck.stop();
    expect(sessions.map((s) => (s.connection as FakeConnection).closedWith)).toEqual([null, null, CloseCode.notFound, null, null]);
    expect(lookups).toEqual(['3/anne', '3/dan', '4/dan']);
  });

  it('runs once more when asked during a round, so a change made meanwhile is seen', async () => {
    let rounds = 0;
    const release = Promise.withResolvers<void>();
    const recheck = new ClosedAccessRecheck({
      intervalMs: 60_000,
      sessions: () => [{ connection: connection('anne', 'closed/udvalg/p1/3'), closedItem: item(3) }],
      mayReadClosed: async () => {
        rounds++;
        if (rounds === 1) await release.promise;
        return true;
      },
      log: silentLogger,
    });
    const first = recheck.recheck();
    const second = recheck.recheck();
    release.resolve();
    await Promise.all([first, second]);
    recheck.stop();
    expect(rounds).toBe(2);
  });
});
