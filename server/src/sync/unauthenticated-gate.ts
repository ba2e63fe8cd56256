/**
 * Sockets that have not authenticated yet, counted overall and per remote address: a stranger
 * without a token gets a bounded share of them (a socket holds memory until it is refused), and
 * the honest users' sockets are accepted past a flood from elsewhere.
 */
export class UnauthenticatedGate {
  readonly #max: number;
  readonly #maxPerAddress: number;
  readonly #perAddress = new Map<string, number>();
  #total = 0;

  constructor(max: number, maxPerAddress: number) {
    this.#max = max;
    this.#maxPerAddress = maxPerAddress;
  }

  get size(): number {
    return this.#total;
  }

  /** Takes a place for a socket from `address`; returns its release (idempotent), or null when full. */
  enter(address: string): (() => void) | null {
    const here = this.#perAddress.get(address) ?? 0;
    if (this.#total >= this.#max || here >= this.#maxPerAddress) return null;
    this.#total++;
    this.#perAddress.set(address, here + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#total--;
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    };
  }
}
