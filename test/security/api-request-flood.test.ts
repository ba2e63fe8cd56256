/**
 * A signed-in user floods the HTTP API (here the inbox, which reads the database on every call):
 * past a burst each user gets a steady allowance of requests, and the rest are refused with 429
 * and Retry-After before any route does its work. Another user's requests are all served, and an
 * honest user's relays and /health stay within the documented bound while the flood runs
 * (docs/SECURITY.md, "A signed-in user: how many requests").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { lastWord, runAdmin, type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { tempDbPath } from '../support/test-database.ts';
import { describeReport, startVictim } from '../support/victim.ts';
import { waitFor } from '../support/wait-for.ts';

/** The documented bound for an honest user's relay p99 and /health answers during an attack. */
const LATENCY_BOUND_MS = 250;
const PER_SECOND = 20;
const BURST = 50;
/** The flood: this many requests, this many at a time, at most this long. */
const FLOOD = 3_000;
const AT_ONCE = 16;
const FLOOD_MS = 20_000;

describe('a signed-in user flooding the HTTP API', () => {
  let server: SpawnedServer | null = null;
  afterEach(async () => {
    await server?.kill('SIGTERM');
    server = null;
  });

  it('gets a steady allowance and 429s past it, while others are served and not slowed', async () => {
    const db = tempDbPath();
    const mallory = lastWord((await runAdmin(['user', 'add', '--name', 'Mallory', '--db', db])).stdout);
    const bo = lastWord((await runAdmin(['user', 'add', '--name', 'Bo Hansen', '--db', db])).stdout);
    const vera = lastWord((await runAdmin(['user', 'add', '--name', 'Vera', '--db', db])).stdout);
    server = await spawnServer(db, {
      env: { RANDNOTER_API_REQUESTS_PER_SECOND: String(PER_SECOND), RANDNOTER_API_REQUEST_BURST: String(BURST) },
    });
    const url = server.url;
    const victim = await startVictim({ wsUrl: server.wsUrl, httpUrl: url, token: vera });

    const statuses = new Map<number, number>();
    let retryAfter = true;
    let sent = 0;
    const began = performance.now();
    const flooder = async () => {
      while (sent < FLOOD && performance.now() - began < FLOOD_MS) {
        sent++;
        const r = await api(url, mallory, 'GET', '/api/notifications');
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 429) retryAfter &&= Number(r.headers.get('retry-after')) >= 1;
      }
    };
    // Bo, meanwhile, reads his inbox now and then, as the extension does.
    const bos: number[] = [];
    let flooding = true;
    const honest = (async () => {
      while (flooding) {
        bos.push((await api(url, bo, 'GET', '/api/notifications')).status);
        await new Promise((done) => setTimeout(done, 100));
      }
    })();
    await Promise.all(Array.from({ length: AT_ONCE }, flooder));
    const seconds = (performance.now() - began) / 1000;
    flooding = false;
    await honest;
    const report = await victim.stop();
    console.log(describeReport(`${sent} API requests in ${seconds.toFixed(1)} s from one user`, report));

    const served = statuses.get(200) ?? 0;
    expect([...statuses.keys()].sort()).toEqual([200, 429]);
    // The burst and the steady rate, with a second of slack for the clocks' edges.
    expect(served).toBeLessThanOrEqual(BURST + PER_SECOND * (seconds + 1));
    expect(served).toBeGreaterThanOrEqual(BURST);
    expect(retryAfter).toBe(true);
    expect(bos.length).toBeGreaterThan(5);
    expect(bos.every((s) => s === 200)).toBe(true);
    expect(report.relayLost).toBe(0);
    expect(report.relayP99, 'victim relay p99 (ms)').toBeLessThan(LATENCY_BOUND_MS);
    expect(report.healthP99, '/health p99 (ms)').toBeLessThan(LATENCY_BOUND_MS);
    // The allowance comes back.
    await waitFor(async () => (await api(url, mallory, 'GET', '/api/me')).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: "Mallory's allowance to come back",
    });
  });
});
