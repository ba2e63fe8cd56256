/**
 * Closing or opening an item moves comments between a group's rooms of one packet; a new comment
 * is placed (misplaced.ts) and then written. The gate keeps the two apart per group and packet:
 * comments run side by side (`shared`), a change of access (`exclusive`) waits for those under
 * way and holds new ones back until it is done, so no comment is placed by the access before a
 * change and written after it. Within one server process: several processes on one database
 * share no gate (docs/CLOSED-ITEMS.md, "Limits").
 */
export class PacketGate {
  readonly #exclusive = new Map<string, Promise<unknown>>();
  readonly #shared = new Map<string, Set<Promise<unknown>>>();

  async shared<T>(key: string, run: () => Promise<T>): Promise<T> {
    for (let pending = this.#exclusive.get(key); pending; pending = this.#exclusive.get(key)) await pending.catch(() => {});
    const running = run();
    const set = this.#shared.get(key) ?? new Set();
    this.#shared.set(key, set);
    set.add(running);
    try {
      return await running;
    } finally {
      set.delete(running);
      if (set.size === 0) this.#shared.delete(key);
    }
  }

  exclusive<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = this.#exclusive.get(key) ?? Promise.resolve();
    const running = before
      .catch(() => {})
      .then(async () => {
        await Promise.allSettled([...(this.#shared.get(key) ?? [])]);
        return run();
      });
    this.#exclusive.set(key, running);
    const release = () => {
      if (this.#exclusive.get(key) === running) this.#exclusive.delete(key);
    };
    running.then(release, release);
    return running;
  }
}
