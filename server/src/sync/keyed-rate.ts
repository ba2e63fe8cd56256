/**
 * An allowance per key (a user, a user in a room): a token bucket each, in this process, a burst
 * and then a steady rate. Used for how often one member may replace a room's agenda correction
 * (each stays in the room's log until it is folded) and how many requests one user may make of
 * the HTTP API. The clock is passed in; buckets that have refilled are dropped once the map grows,
 * so it holds only the keys that asked lately (and keys are users, whose number is bounded).
 */
import { TokenBucket } from './flow-control.ts';

export interface KeyedRateLimits {
  perSecond: number;
  burst: number;
}

/** Entries kept before refilled ones are swept. */
const SWEEP_FROM = 1_000;

export class KeyedRate {
  readonly #limits: KeyedRateLimits;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(limits: KeyedRateLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Takes one from the key's allowance: null when allowed, else the whole seconds until one is. */
  take(key: string): number | null {
    if (this.#buckets.size >= SWEEP_FROM) for (const [k, bucket] of this.#buckets) if (bucket.full) this.#buckets.delete(k);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.perSecond, this.#limits.burst, this.#now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.take()) return null;
    bucket.spend(-1); // a refused one costs nothing
    return Math.max(1, Math.ceil(bucket.msUntil(1) / 1000));
  }
}
