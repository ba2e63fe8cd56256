/** Counters, gauges and a latency histogram for GET /metrics (Prometheus text format 0.0.4). */
export interface Gauge {
  inc(): void;
  dec(): void;
  readonly value: number;
}

function gauge(): Gauge {
  let value = 0;
  return {
    inc: () => void value++,
    dec: () => void value--,
    get value() {
      return value;
    },
  };
}

/** Commit latency buckets, in seconds: a group commit on a local disk is well under 10 ms. */
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Seconds over which `randnoter_updates_per_second` averages. */
const RATE_WINDOW_S = 10;

export class Metrics {
  readonly connections = gauge();
  updatesReceived = 0;
  updatesCommitted = 0;
  intents = 0;
  /** WebSocket upgrades refused because too many sockets were still unauthenticated. */
  refusedUpgrades = 0;
  readonly #commitBuckets = COMMIT_BUCKETS.map(() => 0);
  #commits = 0;
  #commitSeconds = 0;
  readonly #closes = new Map<number, number>();
  readonly #pauses = new Map<string, number>();
  readonly exportsRunning = gauge();
  readonly exportsWaiting = gauge();
  readonly #exportRefusals = new Map<string, number>();
  /** Committed updates per wall-clock second, for the last RATE_WINDOW_S seconds. */
  readonly #perSecond = new Map<number, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  recordCommit(ms: number, rows: number): void {
    const seconds = ms / 1000;
    this.#commits++;
    this.#commitSeconds += seconds;
    COMMIT_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.#commitBuckets[i] = (this.#commitBuckets[i] ?? 0) + 1;
    });
    this.updatesCommitted += rows;
    const second = Math.floor(this.#now() / 1000);
    this.#perSecond.set(second, (this.#perSecond.get(second) ?? 0) + rows);
    for (const s of this.#perSecond.keys()) if (s <= second - RATE_WINDOW_S) this.#perSecond.delete(s);
  }

  recordRefusedUpgrade(): void {
    this.refusedUpgrades++;
  }

  recordClose(code: number): void {
    this.#closes.set(code, (this.#closes.get(code) ?? 0) + 1);
  }

  /** A socket stopped being read: `pending` (awaiting commit), `rate` (too many messages), `outbound` (not reading its replies). */
  recordPause(reason: string): void {
    this.#pauses.set(reason, (this.#pauses.get(reason) ?? 0) + 1);
  }

  /** An export refused or stopped: `user-busy`, `queue-full`, `timeout`, `memory`, `too-large`, `failed`. */
  recordExportRefusal(reason: string): void {
    this.#exportRefusals.set(reason, (this.#exportRefusals.get(reason) ?? 0) + 1);
  }

  pauses(reason: string): number {
    return this.#pauses.get(reason) ?? 0;
  }

  /** `diskFree`: free bytes on the database's disk, when the server can tell. */
  render(roomsLoaded: number, diskFree: number | null = null): string {
    const second = Math.floor(this.#now() / 1000);
    let recent = 0;
    for (const [s, n] of this.#perSecond) if (s > second - RATE_WINDOW_S) recent += n;
    const lines = [
      '# HELP randnoter_connections Open WebSocket connections.',
      '# TYPE randnoter_connections gauge',
      `randnoter_connections ${this.connections.value}`,
      '# HELP randnoter_rooms_loaded Rooms held in memory.',
      '# TYPE randnoter_rooms_loaded gauge',
      `randnoter_rooms_loaded ${roomsLoaded}`,
      '# HELP randnoter_updates_received_total Document updates received from clients.',
      '# TYPE randnoter_updates_received_total counter',
      `randnoter_updates_received_total ${this.updatesReceived}`,
      '# HELP randnoter_updates_committed_total Document updates committed to storage.',
      '# TYPE randnoter_updates_committed_total counter',
      `randnoter_updates_committed_total ${this.updatesCommitted}`,
      `# HELP randnoter_updates_per_second Updates committed per second, averaged over the last ${RATE_WINDOW_S} s.`,
      '# TYPE randnoter_updates_per_second gauge',
      `randnoter_updates_per_second ${(recent / RATE_WINDOW_S).toFixed(1)}`,
      '# HELP randnoter_intents_total Shared-room intents answered with 2xx.',
      '# TYPE randnoter_intents_total counter',
      `randnoter_intents_total ${this.intents}`,
      '# HELP randnoter_commit_seconds Duration of storage commits (one transaction per group commit).',
      '# TYPE randnoter_commit_seconds histogram',
      ...COMMIT_BUCKETS.map((le, i) => `randnoter_commit_seconds_bucket{le="${le}"} ${this.#commitBuckets[i]}`),
      `randnoter_commit_seconds_bucket{le="+Inf"} ${this.#commits}`,
      `randnoter_commit_seconds_sum ${this.#commitSeconds.toFixed(6)}`,
      `randnoter_commit_seconds_count ${this.#commits}`,
      '# HELP randnoter_refused_upgrades_total WebSocket upgrades refused (503) while too many sockets were unauthenticated.',
      '# TYPE randnoter_refused_upgrades_total counter',
      `randnoter_refused_upgrades_total ${this.refusedUpgrades}`,
      '# HELP randnoter_socket_closes_total WebSocket connections closed by the server, by close code.',
      '# TYPE randnoter_socket_closes_total counter',
      ...[...this.#closes].sort(([a], [b]) => a - b).map(([code, n]) => `randnoter_socket_closes_total{code="${code}"} ${n}`),
      '# HELP randnoter_backpressure_pauses_total Times a socket stopped being read, by reason.',
      '# TYPE randnoter_backpressure_pauses_total counter',
      ...[...this.#pauses].sort().map(([reason, n]) => `randnoter_backpressure_pauses_total{reason="${reason}"} ${n}`),
      '# HELP randnoter_exports_running Exports rendering in a worker thread (or reading their rooms for one).',
      '# TYPE randnoter_exports_running gauge',
      `randnoter_exports_running ${this.exportsRunning.value}`,
      '# HELP randnoter_exports_waiting Exports waiting for a free export worker.',
      '# TYPE randnoter_exports_waiting gauge',
      `randnoter_exports_waiting ${this.exportsWaiting.value}`,
      '# HELP randnoter_exports_refused_total Exports refused or stopped, by reason.',
      '# TYPE randnoter_exports_refused_total counter',
      ...[...this.#exportRefusals].sort().map(([reason, n]) => `randnoter_exports_refused_total{reason="${reason}"} ${n}`),
    ];
    if (diskFree !== null) {
      lines.push(
        '# HELP randnoter_disk_free_bytes Free space on the disk that holds the SQLite database.',
        '# TYPE randnoter_disk_free_bytes gauge',
        `randnoter_disk_free_bytes ${diskFree}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
