/**
 * What one user's private rooms may store in all, across every packet: a room's own size cap
 * does not stop a user from filling the disk through thousands of rooms. Kept per server process
 * while any of the user's rooms is loaded, starting from what storage holds.
 */
export class StorageAccount {
  #used: number;
  readonly #quota: number;

  constructor(used: number, quota: number) {
    this.#used = used;
    this.#quota = quota;
  }

  /** Bytes the user's rooms may still add. */
  get left(): number {
    return this.#quota - this.#used;
  }

  /** A room of the user now stores `delta` bytes more (less, when compaction folded its log). */
  change(delta: number): void {
    this.#used += delta;
  }
}
