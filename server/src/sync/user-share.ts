/**
 * What one user may take of a server process, across all their sockets (devices, tabs, rooms):
 * a number of sockets, a rate of bytes the server sends at their request (answers to their sync
 * requests and presence queries, their presence relayed to a room), and bytes waiting to be sent
 * to them. A user who does not read, or asks for more than the rate, waits or loses a socket;
 * the other users do not notice.
 */
import { TokenBucket } from './flow-control.ts';

export interface UserShareLimits {
  maxConnectionsPerUser: number;
  /** Bytes per second the server sends at one user's request, after a burst... */
  userSendBytesPerSecond: number;
  /** ...of this many bytes. */
  userSendBurstBytes: number;
  /** Bytes waiting to be sent to one user's sockets, in all, above which the fullest is closed. */
  maxUserUnsentBytes: number;
}

/** What the share needs from a socket of the user. */
export interface ShareMember {
  /** Bytes waiting to be sent to this socket now, also from now on the baseline of its next noteUnsent. */
  recountUnsent(): number;
  /** Closed for holding too much unsent (4429). */
  closeForUnsent(): void;
}

export class UserShare {
  readonly #limits: UserShareLimits;
  readonly #members = new Set<ShareMember>();
  readonly #sent: TokenBucket;
  /** The sum of the members' unsent bytes as each last saw them (see noteUnsent). */
  #unsentSeen = 0;

  constructor(limits: UserShareLimits, now: () => number) {
    this.#limits = limits;
    this.#sent = new TokenBucket(limits.userSendBytesPerSecond, limits.userSendBurstBytes, now);
  }

  get connections(): number {
    return this.#members.size;
  }

  get full(): boolean {
    return this.#members.size >= this.#limits.maxConnectionsPerUser;
  }

  join(member: ShareMember): void {
    this.#members.add(member);
  }

  /** Returns whether the user has no socket left. */
  leave(member: ShareMember, lastSeenUnsent: number): boolean {
    this.#members.delete(member);
    this.#unsentSeen -= lastSeenUnsent;
    return this.#members.size === 0;
  }

  /** The server sent (or will send) this many bytes at the user's request. */
  spend(bytes: number): void {
    this.#sent.spend(bytes);
  }

  /** Whether the user may be sent more at their request now; else wait `msUntilAllowed()`. */
  get allowed(): boolean {
    return this.#sent.positive;
  }

  msUntilAllowed(): number {
    return Math.max(1, this.#sent.msUntil(1));
  }

  /**
   * A member's unsent bytes changed by `delta` (seen at its own send). Cheap on every send; only
   * when the sum passes the limit are the members counted exactly (the sum overestimates: a
   * socket that drained since its last send still counts what it had), and the fullest closed.
   */
  noteUnsent(delta: number): void {
    this.#unsentSeen += delta;
    if (this.#unsentSeen <= this.#limits.maxUserUnsentBytes) return;
    const counted = [...this.#members].map((member) => ({ member, unsent: member.recountUnsent() }));
    this.#unsentSeen = counted.reduce((sum, c) => sum + c.unsent, 0);
    counted.sort((a, b) => b.unsent - a.unsent);
    // Closing a member makes it leave, which takes its unsent bytes off the sum.
    for (const { member } of counted) {
      if (this.#unsentSeen <= this.#limits.maxUserUnsentBytes) break;
      member.closeForUnsent();
    }
  }
}
