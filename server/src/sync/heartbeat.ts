/**
 * Pings every open socket about once per `heartbeatMs` and drops one that showed no life (no
 * frame, no pong) for two intervals: a peer that vanished without closing (a laptop lid, a
 * dropped network) would otherwise keep its room loaded forever. Browsers answer pings by
 * themselves. The pings go out a slice every tick, each socket about once per interval: all at
 * once stalled every room's relays for as long as that took (about 20 ms per 1,000 sockets here).
 */

/** Heartbeat pings go out in slices this often. */
export const PING_TICK_MS = 100;

/** What the heartbeat does with the endpoint's sockets (functions, not wrappers: no allocation per socket and tick). */
export interface HeartbeatOptions<S> {
  heartbeatMs: number;
  now: () => number;
  sockets: ReadonlySet<S>;
  /** When the socket last showed life (a frame or a pong), on `now`'s clock. */
  lastSeen(socket: S): number;
  isOpen(socket: S): boolean;
  ping(socket: S): void;
  /** Ends the connection at once, without a close frame: the peer is gone. */
  drop(socket: S): void;
}

export class Heartbeat<S> {
  readonly #options: HeartbeatOptions<S>;
  readonly #tickMs: number;
  readonly #timer: NodeJS.Timeout;
  /** Where the round that is under way has got to. */
  #round: Iterator<S> | null = null;

  constructor(options: HeartbeatOptions<S>) {
    this.#options = options;
    this.#tickMs = Math.min(PING_TICK_MS, options.heartbeatMs);
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    const { sockets, heartbeatMs, now, lastSeen, isOpen, ping, drop } = this.#options;
    const at = now();
    this.#round ??= sockets.values();
    for (let n = Math.ceil((sockets.size * this.#tickMs) / heartbeatMs); n > 0; n--) {
      const next = this.#round.next();
      if (next.done) {
        this.#round = null; // the next tick starts the next round
        return;
      }
      const socket = next.value;
      if (at - lastSeen(socket) > 2 * heartbeatMs) drop(socket);
      else if (isOpen(socket)) ping(socket);
    }
  }
}
