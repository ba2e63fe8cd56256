/**
 * What `--durability full` (SQLite synchronous=FULL) costs compared with the default `normal`.
 *
 *   node bench/durability.ts [--intents 300] [--writers 4] [--notes 2500]
 *
 * For each mode, on a fresh database in the system temp directory (so: that disk):
 *   - intent latency: sequential POSTs of a shared comment, each answered only after its commit;
 *   - update throughput: several ?ack=1 sockets each send notes as fast as acks allow; updates/s
 *     until everything is acknowledged (group commit puts many updates in one transaction).
 * Prints one table; numbers depend on the disk (an fsync on a laptop SSD, a cloud volume, tmpfs).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createUser } from '@randnoter/server/auth/accounts';
import { DEFAULT_LIMITS } from '@randnoter/server/config';
import { silentLogger } from '@randnoter/server/log';
import { startServer } from '@randnoter/server/server';
import type { Durability } from '@randnoter/server/storage/database';
import { writeNotes } from './support/note-writer.ts';

const { values } = parseArgs({
  options: {
    intents: { type: 'string', default: '300' },
    writers: { type: 'string', default: '4' },
    notes: { type: 'string', default: '2500' },
  },
});
const INTENTS = Number(values.intents);
const WRITERS = Number(values.writers);
const NOTES = Number(values.notes);

async function measure(durability: Durability) {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'randnoter-bench-')), 'bench.sqlite');
  const server = await startServer(
    {
      host: '127.0.0.1',
      port: 0,
      database: { kind: 'sqlite', path: dbPath, durability },
      redisPrefix: 'randnoter:',
      logLevel: 'error',
      limits: { ...DEFAULT_LIMITS },
    },
    silentLogger,
  );
  const { token } = await createUser(server.db, 'Bench', 'bench', new Date().toISOString());
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const latencies: number[] = [];
  for (let i = 0; i < INTENTS; i++) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/groups/bench/packets/p/annotations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: `c${i}`, kind: 'comment', body: 'x', target: { page: 1 } }),
    });
    if (response.status !== 201) throw new Error(`intent answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);

  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      writeNotes({ baseUrl: server.url, token, packet: 'bench', device: `d${i}`, count: NOTES, timeLimitMs: 300_000 }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await server.close();
  return {
    durability,
    intentMedianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
    intentP95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
    updatesPerSecond: (WRITERS * NOTES) / seconds,
  };
}

const results = [];
for (const mode of ['normal', 'full', 'normal', 'full'] as const) results.push(await measure(mode));
console.log(`durability benchmark: ${INTENTS} sequential intents; ${WRITERS} sockets x ${NOTES} acked notes; temp dir ${tmpdir()}`);
console.log('mode    intent median  intent p95   updates/s');
for (const r of results) {
  console.log(
    `${r.durability.padEnd(7)} ${r.intentMedianMs.toFixed(2).padStart(10)} ms ${r.intentP95Ms.toFixed(2).padStart(8)} ms ${Math.round(r.updatesPerSecond).toString().padStart(10)}`,
  );
}
