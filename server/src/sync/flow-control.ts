/**
 * Flow control for one socket. The socket stops being read (TCP then slows the sender) while any
 * reason holds, and is read again once all have cleared:
 *   pending   too many bytes of its updates await their commit;
 *   rate      it sent more messages than its token bucket allows;
 *   outbound  too much of what we send it is still unsent (it does not read).
 * Messages already received are always handled: dropping one would break the sync protocol.
 */

export const PauseReason = { pending: 'pending', rate: 'rate', outbound: 'outbound' } as const;
export type PauseReason = (typeof PauseReason)[keyof typeof PauseReason];

/** One bit per reason: a gate per socket, tens of thousands of them, holds one number. */
const BIT: Record<PauseReason, number> = { pending: 1, rate: 2, outbound: 4 };

export interface Pausable {
  pause(): void;
  resume(): void;
}

export class ReadGate {
  readonly #socket: Pausable;
  #reasons = 0;
  readonly #onPause: (reason: PauseReason) => void;

  constructor(socket: Pausable, onPause: (reason: PauseReason) => void = () => {}) {
    this.#socket = socket;
    this.#onPause = onPause;
  }

  has(reason: PauseReason): boolean {
    return (this.#reasons & BIT[reason]) !== 0;
  }

  hold(reason: PauseReason): void {
    if (this.has(reason)) return;
    if (this.#reasons === 0) this.#socket.pause();
    this.#reasons |= BIT[reason];
    this.#onPause(reason);
  }

  release(reason: PauseReason): void {
    if (!this.has(reason)) return;
    this.#reasons &= ~BIT[reason];
    if (this.#reasons === 0) this.#socket.resume();
  }
}

/** Messages per second with a burst allowance; tokens refill continuously up to `burst`. */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, now: () => number) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#at = now();
  }

  /** Whether the bucket had refilled completely before this call (the sender had paused long enough). */
  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.#burst;
  }

  /** Takes one token; false when none was left. */
  take(): boolean {
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 0;
  }

  /** Takes `amount` whatever is left: the bucket may go into debt, which later refills pay off. */
  spend(amount: number): void {
    this.#refill();
    this.#tokens -= amount;
  }

  /** Whether the bucket is out of debt (holds more than nothing). */
  get positive(): boolean {
    this.#refill();
    return this.#tokens > 0;
  }

  /** Milliseconds until the bucket holds `tokens` again. */
  msUntil(tokens: number): number {
    this.#refill();
    return Math.max(0, Math.ceil(((Math.min(tokens, this.#burst) - this.#tokens) / this.#perSecond) * 1000));
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
    this.#at = now;
  }
}
