/**
 * The comparison table: one row per metric, one column per server, the ratio ours / best peer
 * (below 1 is better for "lower is better" metrics, above 1 for "higher is better"), and
 * whether Randnoter meets the goal.
 */
import type { ConnectionsResult } from './scenarios/connections.ts';
import type { FootprintResult } from './scenarios/footprint.ts';
import type { IntentResult } from './scenarios/intents.ts';
import type { KillResult } from './scenarios/kill.ts';
import type { PropagationResult } from './scenarios/propagation.ts';
import type { RoomMemoryResult } from './scenarios/room-memory.ts';
import type { WriteBurstResult } from './scenarios/write-burst.ts';
import type { ServerId } from './servers.ts';
import { round } from './stats.ts';

interface ScenarioResults {
  propagation: PropagationResult;
  connections: ConnectionsResult;
  writeBurst: WriteBurstResult;
  kill: KillResult;
  roomMemory: RoomMemoryResult;
  intents: IntentResult;
  footprint: FootprintResult;
}
export type ScenarioId = keyof ScenarioResults;
type Outcome<T> = T | { error: string };
export type Results = { [S in ScenarioId]?: Partial<Record<ServerId, Outcome<ScenarioResults[S]>>> };

type Values = Partial<Record<ServerId, number | string>>;

export interface Metric {
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** `met`: null when Randnoter has no number, or the goal compares with a peer that has none. */
  goal?: { text: string; met: boolean | null };
  values: Values;
}

interface MetricSpec<S extends ScenarioId> {
  scenario: S;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** `met` sees Randnoter's number, every server's numbers of the row, and Randnoter's result. */
  goal?: { text: string; met: (ours: number, values: Values, result: ScenarioResults[S]) => boolean | null };
  value: (result: ScenarioResults[S]) => number;
  /** A result that makes the number meaningless (e.g. messages that never arrived). */
  invalid?: (result: ScenarioResults[S]) => string | null;
}

const KIB = 1024;
const MIB = 1024 * 1024;

/** `ours` at most `factor` times the reference server's number (null when it has none). */
function withinReference(factor: number): (ours: number, values: Values) => boolean | null {
  return (ours, values) => (typeof values.reference === 'number' ? ours <= factor * values.reference : null);
}

const SPECS = [
  spec({
    scenario: 'propagation',
    label: 'propagation p99',
    unit: 'ms',
    better: 'lower',
    goal: { text: '<= 5 ms', met: (v) => v <= 5 },
    value: (r) => round(r.latencyMs.p99, 2),
    invalid: (r) => (r.complete ? null : `${r.delivered}/${r.expected} delivered`),
  }),
  spec({
    scenario: 'propagation',
    label: 'propagation p99, worst round',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(Math.max(...r.rounds.map((d) => d.p99)), 2),
  }),
  spec({ scenario: 'propagation', label: 'propagation p50', unit: 'ms', better: 'lower', value: (r) => round(r.latencyMs.p50, 2) }),
  spec({
    scenario: 'connections',
    label: 'connections held (rooms of 20)',
    unit: '',
    better: 'higher',
    goal: { text: '>= 20,000', met: (v) => v >= 20_000 },
    value: (r) => r.held,
  }),
  spec({
    scenario: 'connections',
    label: 'RSS per connection, marginal (from half the connections to all)',
    unit: 'KiB',
    better: 'lower',
    goal: { text: '<= 6 KiB', met: (v) => v <= 6 },
    value: (r) => round(r.marginalRssPerConnectionBytes / KIB, 2),
  }),
  spec({
    scenario: 'connections',
    label: 'RSS per connection, average (from one room to all: includes the heap growing once)',
    unit: 'KiB',
    better: 'lower',
    value: (r) => round(r.rssPerConnectionBytes / KIB, 2),
  }),
  spec({
    scenario: 'connections',
    label: 'RSS with every connection open (what the two rows above divide, from where the process started)',
    unit: 'MiB',
    better: 'lower',
    value: (r) => round(r.rssBytes / MIB, 1),
  }),
  spec({
    scenario: 'writeBurst',
    label: 'cold full sync after a restart, 10,000-comment room (quick: 2,000): full state arrived',
    unit: 'ms',
    better: 'lower',
    goal: { text: '<= 300 ms', met: (v) => v <= 300 },
    value: (r) => r.coldSyncArrivedMs,
    invalid: (r) => (r.complete ? null : 'incomplete sync'),
  }),
  spec({
    scenario: 'writeBurst',
    label: 'cold full sync: full state applied by the client (adds its Yjs CPU time)',
    unit: 'ms',
    better: 'lower',
    value: (r) => r.coldSyncMs,
  }),
  spec({
    scenario: 'writeBurst',
    label: 'comments accepted per second, one room',
    unit: '/s',
    better: 'higher',
    goal: { text: '>= 10,000', met: (v) => v >= 10_000 },
    value: (r) => r.commentsPerSecond,
  }),
  spec({
    scenario: 'kill',
    label: 'acknowledged comments lost after SIGKILL (worst kill point)',
    unit: '',
    better: 'lower',
    goal: { text: '0', met: (v) => v === 0 },
    value: (r) => r.worstLost,
  }),
  spec({
    scenario: 'roomMemory',
    label: 'memory per idle room (RSS growth, garbage included)',
    unit: 'KiB',
    better: 'lower',
    value: (r) => round(r.idleRoomBytes / KIB, 1),
  }),
  spec({
    scenario: 'roomMemory',
    label: 'memory per idle room, retained (heap + external after a full GC)',
    unit: 'KiB',
    better: 'lower',
    value: (r) => round(r.retainedIdleRoomBytes / KIB, 1),
  }),
  spec({
    scenario: 'roomMemory',
    label: 'memory per loaded room (200 comments; RSS growth)',
    unit: 'KiB',
    better: 'lower',
    value: (r) => round(r.loadedRoomBytes / KIB, 1),
  }),
  spec({
    scenario: 'roomMemory',
    label: 'memory per loaded room (200 comments), retained',
    unit: 'KiB',
    better: 'lower',
    value: (r) => round(r.retainedLoadedRoomBytes / KIB, 1),
  }),
  spec({
    scenario: 'intents',
    label: 'intent 2xx -> delivery p99, 50 clients (quick: 10)',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(r.fromAnswerMs.p99, 2),
  }),
  spec({
    scenario: 'intents',
    label: 'intent request -> delivery p99, 50 clients (quick: 10)',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(r.fromRequestMs.p99, 2),
    invalid: (r) => (r.delivered === r.expected ? null : `${r.delivered}/${r.expected} delivered`),
  }),
  spec({
    scenario: 'footprint',
    label: 'idle RSS after start (median of 3 fresh starts)',
    unit: 'MiB',
    better: 'lower',
    goal: { text: '<= 1.3 x y-websocket server', met: withinReference(1.3) },
    value: (r) => round(r.idleRssBytes / MIB, 1),
  }),
  spec({
    scenario: 'footprint',
    label: 'time to healthy (start to /health 200, median of 3 fresh starts)',
    unit: 'ms',
    better: 'lower',
    goal: { text: '<= 2 x y-websocket server', met: withinReference(2) },
    value: (r) => round(r.healthyMs, 0),
  }),
  spec({
    scenario: 'footprint',
    label: 'files on disk after a graceful stop, 10,000-comment room (quick: 2,000)',
    unit: 'MiB',
    better: 'lower',
    goal: { text: "<= the room's Yjs state", met: (_ours, _values, r) => r.diskBytes <= r.stateBytes },
    value: (r) => round(r.diskBytes / MIB, 2),
  }),
  spec({
    scenario: 'footprint',
    label: "that room's Yjs state (encodeStateAsUpdate), for comparison",
    unit: 'MiB',
    better: 'lower',
    value: (r) => round(r.stateBytes / MIB, 2),
  }),
];

function spec<S extends ScenarioId>(s: MetricSpec<S>): MetricSpec<S> {
  return s;
}

export function metrics(results: Results, servers: readonly ServerId[]): Metric[] {
  return SPECS.map((s) => {
    const values: Values = {};
    const byServer = (results[s.scenario] ?? {}) as Partial<Record<ServerId, Outcome<never>>>;
    for (const id of servers) {
      const outcome = byServer[id] as Outcome<ScenarioResults[typeof s.scenario]> | undefined;
      if (!outcome) continue;
      if ('error' in outcome) {
        values[id] = `error: ${outcome.error}`.slice(0, 60);
        continue;
      }
      const problem = (s.invalid as ((r: unknown) => string | null) | undefined)?.(outcome);
      const value = (s.value as (r: unknown) => number)(outcome);
      values[id] = problem ? `${value} (${problem})` : value;
    }
    const ours = byServer.randnoter as Outcome<ScenarioResults[typeof s.scenario]> | undefined;
    const met =
      s.goal && typeof values.randnoter === 'number' && ours && !('error' in ours)
        ? (s.goal.met as (o: number, v: Values, r: unknown) => boolean | null)(values.randnoter, values, ours)
        : null;
    return { label: s.label, unit: s.unit, better: s.better, ...(s.goal ? { goal: { text: s.goal.text, met } } : {}), values };
  });
}

/** ours / best peer, or null when either side has no number. */
function ratio(metric: Metric, peers: readonly ServerId[]): number | null {
  const ours = metric.values.randnoter;
  const peerValues = peers.map((id) => metric.values[id]).filter((v): v is number => typeof v === 'number');
  if (typeof ours !== 'number' || peerValues.length === 0) return null;
  const best = metric.better === 'lower' ? Math.min(...peerValues) : Math.max(...peerValues);
  if (best === 0) return ours === 0 ? 1 : Number.POSITIVE_INFINITY;
  return ours / best;
}

const LABELS: Record<ServerId, string> = { randnoter: 'Randnoter', reference: 'y-websocket server', hocuspocus: 'Hocuspocus' };

function cell(value: number | string | undefined, unit: string): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return unit && unit !== '/s' ? `${text} ${unit}` : text;
}

/** A Markdown table (readable in a terminal, pasted as is into docs/PERFORMANCE.md). */
export function table(all: Metric[], servers: readonly ServerId[]): string {
  const peers = servers.filter((id) => id !== 'randnoter');
  const header = ['metric', ...servers.map((id) => LABELS[id]), 'ours / best peer', 'goal', 'met'];
  const rows = all.map((m) => {
    const r = ratio(m, peers);
    const met = m.goal?.met === true ? 'yes' : m.goal?.met === false ? 'no' : '';
    return [
      `${m.label} (${m.better} is better)`,
      ...servers.map((id) => cell(m.values[id], m.unit)),
      r === null ? 'n/a' : `${round(r, 2)}`,
      m.goal?.text ?? '',
      met,
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
