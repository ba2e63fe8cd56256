/**
 * Runs the sync benchmarks: every scenario against every server, one after the other, each on a
 * fresh server process and data directory (in the system temp directory), then prints the
 * comparison table and writes everything measured as JSON. Propagation and the write burst run
 * in rounds, the servers taking turns, and the rounds are pooled (see scenarios/propagation.ts,
 * scenarios/write-burst.ts).
 *
 *   node bench/sync/run.ts [--profile full|quick] [--servers randnoter,reference,hocuspocus]
 *                          [--scenarios propagation,connections,writeBurst,kill,roomMemory,intents,footprint]
 *                          [--cpu-prof] [--out FILE] [--keep] [--no-pin]
 *
 * Run it through `npm run bench:sync` / `bench:quick` (root), which install the peers first
 * (setup.ts) and raise the open-file limit. `--cpu-prof` writes V8 CPU profiles of Randnoter's
 * server (on graceful stops) into the run directory, which is then kept. The servers run on one
 * half of the CPUs and the load generator on the other (cpu-layout.ts); `--no-pin` leaves both
 * to the scheduler.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuLayout, pinLoadGenerator } from './cpu-layout.ts';
import { RETAINED_MEMORY_ARGS, ServerUnderTest } from './harness.ts';
import { openFileLimit, type ProfileName, profile } from './profiles.ts';
import { metrics, type Results, type ScenarioId, table } from './report.ts';
import { connections } from './scenarios/connections.ts';
import { footprint } from './scenarios/footprint.ts';
import { intents } from './scenarios/intents.ts';
import { killScenarios } from './scenarios/kill.ts';
import { type PropagationRound, poolRounds, propagation, summarizeRound } from './scenarios/propagation.ts';
import { roomMemory } from './scenarios/room-memory.ts';
import { poolWriteBursts, type WriteBurstRound, writeBurst } from './scenarios/write-burst.ts';
import { BENCH_DIR, loadVersions, SERVERS, type ServerId, type StartOptions, versions } from './servers.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'full' },
    servers: { type: 'string', default: SERVERS.map((s) => s.id).join(',') },
    scenarios: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

const profileName = values.profile as ProfileName;
if (profileName !== 'full' && profileName !== 'quick') throw new Error('--profile must be full or quick');
const params = profile(profileName);
const serverIds = values.servers.split(',') as ServerId[];
const kinds = SERVERS.filter((s) => serverIds.includes(s.id));
const ORDER: ScenarioId[] = ['propagation', 'connections', 'writeBurst', 'kill', 'roomMemory', 'intents', 'footprint'];
const scenarioIds = values.scenarios ? (values.scenarios.split(',') as ScenarioId[]) : ORDER;
for (const id of scenarioIds) if (!ORDER.includes(id)) throw new Error(`unknown scenario ${id}; known: ${ORDER.join(', ')}`);

const runDir = mkdtempSync(join(tmpdir(), 'randnoter-bench-'));
const profileDir = join(runDir, 'cpu-profiles');
const layout = values.pin ? cpuLayout() : null;
if (layout) pinLoadGenerator(layout);
const startOptions = (id: ServerId, runner: Runner): StartOptions => {
  const nodeArgs = [
    ...(values['cpu-prof'] && id === 'randnoter' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(runner.nodeArgs ?? []),
  ];
  return { ...(nodeArgs.length > 0 ? { nodeArgs } : {}), ...(layout ? { cpus: layout.server } : {}) };
};

/**
 * How each scenario runs. A scenario with several rounds runs them interleaved (every server once
 * per round, in turn) and pools them into one result; the log shows each round on its own.
 */
interface Runner {
  rounds: number;
  /** What every server is started with for this scenario. */
  nodeArgs?: string[];
  run(server: ServerUnderTest): Promise<unknown>;
  pool(rounds: unknown[]): unknown;
  describe(round: unknown): unknown;
}
const once = (run: Runner['run']): Runner => ({ rounds: 1, run, pool: (rounds) => rounds[0], describe: (round) => round });
const RUNNERS: Record<ScenarioId, Runner> = {
  propagation: {
    rounds: params.propagation.rounds,
    run: (s) => propagation(s, params.propagation),
    pool: (rounds) => poolRounds(rounds as PropagationRound[]),
    describe: (round) => summarizeRound(round as PropagationRound),
  },
  connections: once((s) => connections(s, params.connections)),
  writeBurst: {
    rounds: params.writeBurst.rounds,
    run: (s) => writeBurst(s, params.writeBurst),
    pool: (rounds) => poolWriteBursts(rounds as WriteBurstRound[]),
    describe: (round) => round,
  },
  kill: once((s) => killScenarios(s, params.kill)),
  roomMemory: { ...once((s) => roomMemory(s, params.roomMemory)), nodeArgs: RETAINED_MEMORY_ARGS },
  intents: once((s) => intents(s, params.intents)),
  footprint: once((s) => footprint(s, params.footprint)),
};
/** Scenarios that exercise what only Randnoter has. */
const RANDNOTER_ONLY = new Set<ScenarioId>(['intents']);

const say = (line: string) => process.stderr.write(`${line}\n`);
await loadVersions();
const loadBefore = loadavg();
const startedAt = new Date();
const cpusSaid = layout ? `servers on CPU ${layout.server}, load generator on CPU ${layout.loadGenerator}` : 'CPUs shared';
say(`sync benchmarks, profile ${profileName}, servers ${kinds.map((k) => k.id).join(', ')}; ${cpusSaid}; data in ${runDir}`);
const results: Results = {};
let failures = 0;
for (const [index, scenario] of scenarioIds.entries()) {
  const runner = RUNNERS[scenario];
  const servers = kinds.filter((kind) => !RANDNOTER_ONLY.has(scenario) || kind.id === 'randnoter');
  const rounds = new Map<ServerId, unknown[]>();
  const failed = new Map<ServerId, string>();
  for (let round = 0; round < runner.rounds; round++) {
    // Each scenario and round starts with another server, so a busy spell on a shared machine
    // does not always fall on the same one.
    const first = (index + round) % servers.length;
    for (const kind of [...servers.slice(first), ...servers.slice(0, first)]) {
      if (failed.has(kind.id)) continue;
      const label = runner.rounds > 1 ? `${scenario} ${round + 1}/${runner.rounds}` : scenario;
      // A fresh data directory per round.
      const dirName = round === 0 ? scenario : `${scenario}-${round + 1}`;
      const started = performance.now();
      let server: ServerUnderTest | null = null;
      try {
        server = await ServerUnderTest.start(kind, runDir, dirName, startOptions(kind.id, runner));
        const result = await runner.run(server);
        rounds.set(kind.id, [...(rounds.get(kind.id) ?? []), result]);
        say(`[${label}] ${kind.id}: ${JSON.stringify(runner.describe(result))} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failures++;
        failed.set(kind.id, error instanceof Error ? error.message : String(error));
        say(`[${label}] ${kind.id}: FAILED ${String(error)}; logs in ${join(runDir, `${dirName}-${kind.id}`)}`);
      } finally {
        await server?.stop();
      }
    }
  }
  const byServer: Record<string, unknown> = {};
  for (const kind of servers) {
    const error = failed.get(kind.id);
    byServer[kind.id] = error !== undefined ? { error } : runner.pool(rounds.get(kind.id) ?? []);
  }
  (results as Record<string, unknown>)[scenario] = byServer;
}

const all = metrics(
  results,
  kinds.map((k) => k.id),
);
const report = table(
  all,
  kinds.map((k) => k.id),
);
process.stdout.write(`\n${report}\n\n`);
const out = values.out ?? join(BENCH_DIR, 'results', `${profileName}-latest.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      profile: profileName,
      params,
      machine: {
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        kernel: release(),
        openFileLimit: openFileLimit(),
        cpuLayout: layout ?? 'shared',
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg(),
      },
      versions: versions(),
      metrics: all.map(({ goal, ...m }) => ({ ...m, goal: goal?.text, met: goal?.met })),
      results,
    },
    null,
    2,
  )}\n`,
);
say(
  `results: ${out}; took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} after`,
);
if (values['cpu-prof']) say(`CPU profiles: ${profileDir}`);
if (failures === 0 && !values.keep && !values['cpu-prof']) rmSync(runDir, { recursive: true, force: true });
process.exitCode = failures === 0 ? 0 : 1;
