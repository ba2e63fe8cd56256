/**
 * How often one remote address may call the sign-in endpoints, which strangers reach without a
 * token: a token bucket per address (an IPv6 address counts by its /64, which one host usually
 * holds whole), in this process. Buckets that have refilled are dropped when the table grows; past
 * `maxAddresses` addresses that all asked lately, further addresses are refused until some refill,
 * so the table itself stays bounded
 * (and is swept of refilled buckets at most once a second).
 */
import { isIPv6 } from 'node:net';
import { TokenBucket } from '../../sync/flow-control.ts';

export interface AddressRateLimits {
  perMinute: number;
  burst: number;
  maxAddresses: number;
}

/** An IPv4 address as it is; an IPv6 address as its /64 (an IPv4-mapped one as the IPv4 address). */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  // A dotted IPv4 tail stands for two groups.
  const plain = address.replace(/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, (_m, a, b, c, d) =>
    [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
  );
  const [head = '', tail] = plain.split('::');
  const front = head ? head.split(':') : [];
  const back = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

export class AddressRate {
  readonly #limits: AddressRateLimits;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(limits: AddressRateLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one request from the address's allowance: null when allowed, else the seconds until one is. */
  take(address: string): number | null {
    const key = addressKey(address);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      // A sweep walks the whole table: at most once a second, or a flood of new addresses would pay for it each.
      if (this.#buckets.size >= this.#limits.maxAddresses && this.#now() - this.#lastSweep >= 1_000) {
        this.#lastSweep = this.#now();
        for (const [k, b] of this.#buckets) if (b.full) this.#buckets.delete(k);
      }
      if (this.#buckets.size >= this.#limits.maxAddresses) return Math.max(1, Math.ceil(60 / this.#limits.perMinute));
      bucket = new TokenBucket(this.#limits.perMinute / 60, this.#limits.burst, this.#now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.take()) return null;
    bucket.spend(-1); // a refused request costs nothing more
    return Math.max(1, Math.ceil(bucket.msUntil(1) / 1000));
  }
}
