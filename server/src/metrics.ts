/** Counters and gauges for GET /metrics (Prometheus text format). */
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

export class Metrics {
  readonly connections = gauge();
  updatesCommitted = 0;
  commits = 0;
  commitMsTotal = 0;
  commitMsMax = 0;
  intents = 0;

  recordCommit(ms: number, rows: number): void {
    this.commits++;
    this.updatesCommitted += rows;
    this.commitMsTotal += ms;
    this.commitMsMax = Math.max(this.commitMsMax, ms);
  }

  render(roomsLoaded: number): string {
    const lines = [
      '# HELP randnoter_connections Open WebSocket connections.',
      '# TYPE randnoter_connections gauge',
      `randnoter_connections ${this.connections.value}`,
      '# HELP randnoter_rooms_loaded Rooms held in memory.',
      '# TYPE randnoter_rooms_loaded gauge',
      `randnoter_rooms_loaded ${roomsLoaded}`,
      '# HELP randnoter_updates_committed_total Document updates committed to storage.',
      '# TYPE randnoter_updates_committed_total counter',
      `randnoter_updates_committed_total ${this.updatesCommitted}`,
      '# HELP randnoter_intents_total Shared-room intents accepted.',
      '# TYPE randnoter_intents_total counter',
      `randnoter_intents_total ${this.intents}`,
      '# HELP randnoter_commit_seconds Time spent in storage commits.',
      '# TYPE randnoter_commit_seconds summary',
      `randnoter_commit_seconds_sum ${(this.commitMsTotal / 1000).toFixed(6)}`,
      `randnoter_commit_seconds_count ${this.commits}`,
      '# HELP randnoter_commit_seconds_max Longest commit so far.',
      '# TYPE randnoter_commit_seconds_max gauge',
      `randnoter_commit_seconds_max ${(this.commitMsMax / 1000).toFixed(6)}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
