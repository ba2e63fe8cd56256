import { describe, expect, it } from 'vitest';
import { type ShareMember, UserShare } from './user-share.ts';

const limits = { maxConnectionsPerUser: 3, userSendBytesPerSecond: 1_000, userSendBurstBytes: 2_000, maxUserUnsentBytes: 10_000 };

function member(share: UserShare, unsent: { now: number }): ShareMember & { closed: boolean } {
  const m = {
    closed: false,
    baseline: 0,
    recountUnsent() {
      this.baseline = unsent.now;
      return unsent.now;
    },
    closeForUnsent() {
      this.closed = true;
      share.leave(this, this.baseline);
    },
  };
  share.join(m);
  return m;
}

describe('UserShare', () => {
  it('is full at the per-user socket cap and has room again once one leaves', () => {
    const share = new UserShare(limits, () => 0);
    const members = [0, 1, 2].map(() => member(share, { now: 0 }));
    expect(share.full).toBe(true);
    share.leave(members[0] as ShareMember, 0);
    expect(share.full).toBe(false);
  });

  it('lets a user be sent a burst at their request, then makes them wait for the rate', () => {
    let now = 0;
    const share = new UserShare(limits, () => now);
    share.spend(1_500);
    expect(share.allowed).toBe(true);
    share.spend(1_500); // in debt by 1,000 bytes: a second at 1,000 bytes/s
    expect(share.allowed).toBe(false);
    expect(share.msUntilAllowed()).toBeGreaterThan(900);
    now += 1_001;
    expect(share.allowed).toBe(true);
  });

  it('closes the sockets holding the most unsent bytes once the user passes the limit, and only as many as needed', () => {
    const share = new UserShare(limits, () => 0);
    const small = { now: 1_000 };
    const big = { now: 8_000 };
    const middle = { now: 4_000 };
    const a = member(share, small);
    const b = member(share, big);
    const c = member(share, middle);
    share.noteUnsent(1_000);
    share.noteUnsent(8_000);
    expect([a.closed, b.closed, c.closed]).toEqual([false, false, false]);
    share.noteUnsent(4_000); // 13,000 > 10,000: the biggest goes
    expect([a.closed, b.closed, c.closed]).toEqual([false, true, false]);
  });

  it('counts exactly before closing anything: sockets that drained since their last send do not count', () => {
    const share = new UserShare(limits, () => 0);
    const drained = { now: 9_000 };
    const a = member(share, drained);
    const bUnsent = { now: 3_000 };
    const b = member(share, bUnsent);
    share.noteUnsent(9_000);
    drained.now = 0; // it drained, but has not sent since
    share.noteUnsent(3_000); // 12,000 as last seen, 3,000 in truth
    expect([a.closed, b.closed]).toEqual([false, false]);
    // The recount became the baseline (3,000): 8,000 more pass the limit, and close the one holding them.
    bUnsent.now = 11_000;
    share.noteUnsent(8_000);
    expect([a.closed, b.closed]).toEqual([false, true]);
  });
});
