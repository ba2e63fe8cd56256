// TEMPORARY probe (not committed): RSS at each quarter of N connections.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, openSynced, ServerUnderTest } from './harness.ts';
import { SERVERS } from './servers.ts';
import type { SyncClient } from './sync-client.ts';

const id = process.argv[2] ?? 'randnoter';
const n = Number(process.argv[3] ?? 5000);
const kind = SERVERS.find((s) => s.id === id)!;
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const server = await ServerUnderTest.start(kind, dir, 'probe', {});
const make = (i: number, localAddress: string) => server.client(`r-${Math.floor(i / 20)}`, { localAddress, applyRemote: false });
const all: SyncClient[] = await openSynced(20, make);
const points: string[] = [`20:${(server.rss() / 1048576).toFixed(1)}`];
const quarter = (n - 20) / 4;
for (let q = 0; q < 4; q++) {
  const base = all.length;
  all.push(...(await openSynced(quarter, (i, a) => make(i + base, a), { parallel: 200, timeoutMs: 300_000 })));
  await new Promise((r) => setTimeout(r, 500));
  points.push(`${all.length}:${(server.rss() / 1048576).toFixed(1)}`);
}
console.log(id, points.join(' '));
closeAll(all);
process.exit(0);
