/**
 * Runs the callbacks queued during one event-loop turn together, in one setImmediate. Every room
 * starts its batch through the same NextTurn, so the appends all those batches request are made
 * before the callback returns, and the commit queue writes them as one transaction in the
 * microtask right after: no event-loop turn between a message and its commit.
 */
export class NextTurn {
  #queued: Array<() => void> = [];

  run(callback: () => void): void {
    if (this.#queued.push(callback) === 1) setImmediate(() => this.#flush());
  }

  #flush(): void {
    const queued = this.#queued;
    this.#queued = [];
    for (const callback of queued) callback();
  }
}
