/**
 * How often one member may replace a shared room's agenda correction. A correction replaces the
 * last one whole, but each stays in the room's update log until the log is folded, so without a
 * bound one member sending corrections in a loop would fill the room the group shares. A token
 * bucket per member and room (in this process): a burst for a secretary saving as they go, then a
 * steady rate. The clock is passed in; entries that have refilled are dropped, so the map holds
 * only members who corrected lately.
 */
import { TokenBucket } from '../sync/flow-control.ts';

export interface CorrectionRateLimits {
  perHour: number;
  burst: number;
}

/** Entries kept before refilled ones are swept. */
const SWEEP_FROM = 1_000;

export class CorrectionRate {
  readonly #limits: CorrectionRateLimits;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(limits: CorrectionRateLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Takes one correction from the member's allowance in the room: null when allowed, else the seconds until one is. */
  take(userId: string, room: string): number | null {
    if (this.#buckets.size >= SWEEP_FROM) for (const [key, bucket] of this.#buckets) if (bucket.full) this.#buckets.delete(key);
    const key = `${userId}\n${room}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.perHour / 3600, this.#limits.burst, this.#now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.take()) return null;
    bucket.spend(-1); // a refused correction costs nothing
    return Math.max(1, Math.ceil(bucket.msUntil(1) / 1000));
  }
}
