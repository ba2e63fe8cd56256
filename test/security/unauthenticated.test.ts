/**
 * A stranger with no token. The red-team pass: 60 sockets each sending a 32 MiB first frame took
 * the server to 1,924 MiB (ws buffered every frame whole before the server looked at it), and
 * frames trickled at 2 MiB/s kept sockets open 17 s, past the 5 s authentication timeout (the
 * close handshake then waited 30 s for an answer that never came).
 */

import { describe, expect, it } from 'vitest';
import { type HostileOutcome, type HostilePlan, hostileSocket } from '../support/hostile-socket.ts';
import { resetPeak, residentMiB } from '../support/process-memory.ts';
import { lastWord, runAdmin, spawnServer } from '../support/spawned-server.ts';
import { tempDbPath } from '../support/test-database.ts';
import { describeReport, startVictim } from '../support/victim.ts';
import { authMessage } from '../support/yjs-frames.ts';

const MiB = 1024 * 1024;

describe('a stranger without a token', () => {
  it('gets tiny frames, a bounded number of sockets ended within 6 s, and leaves memory and the honest user alone', async () => {
    const db = tempDbPath();
    const token = lastWord((await runAdmin(['user', 'add', '--name', 'Vera Offer', '--db', db])).stdout);
    const server = await spawnServer(db);
    try {
      const pid = server.child.pid as number;
      const victim = await startVictim({ wsUrl: server.wsUrl, httpUrl: server.url, token });
      const before = residentMiB(pid).rss;
      resetPeak(pid);

      const plans: Array<[string, HostilePlan, number]> = [
        ['/sync/notes/p', { kind: 'hugeFrame', bytes: 32 * MiB }, 30],
        ['/sync/notes/p?token=rn_not-a-token', { kind: 'hugeFrame', bytes: 32 * MiB }, 30],
        ['/sync/notes/p', { kind: 'trickle', bytes: 32 * MiB, bytesPerSecond: 2 * MiB }, 20],
        ['/sync/notes/p', { kind: 'slowBytes', payload: authMessage(`rn_${'x'.repeat(43)}`), msPerByte: 100 }, 10],
        // More sockets that merely wait than one address may hold unauthenticated.
        ['/sync/notes/p', { kind: 'silent' }, 100],
      ];
      // One kind after the other has its upgrade answers (then they all run at once), so that
      // every kind gets past the per-address cap, which the last wave is meant to hit.
      const running: Array<[string, Promise<HostileOutcome[]>]> = [];
      for (const [path, plan, count] of plans) {
        const sockets = Array.from({ length: count }, () => hostileSocket(server.port, path, plan));
        await Promise.all(sockets.map((s) => s.answered));
        running.push([`${plan.kind} ${path}`, Promise.all(sockets.map((s) => s.outcome))]);
      }
      const outcomes = new Map(await Promise.all(running.map(async ([what, results]) => [what, await results] as const)));
      const report = await victim.stop();
      const { peak } = residentMiB(pid);
      console.log(describeReport('strangers without a token', report, peak - before));

      for (const [what, results] of outcomes) {
        const upgraded = results.filter((r) => r.status === 101);
        // Each kind of attack reached the server...
        expect(upgraded.length, `${what}: upgraded`).toBeGreaterThan(0);
        // ...and every socket was either refused at the upgrade or ended (TCP closed) within 6 s.
        for (const r of results) expect([101, 503], what).toContain(r.status);
        expect(Math.max(...results.map((r) => r.heldMs)), `${what}: longest held (ms)`).toBeLessThan(6_000);
      }
      // Past the per-address cap (64 unauthenticated sockets), upgrades were refused.
      expect(outcomes.get('silent /sync/notes/p')?.filter((r) => r.status === 503).length).toBeGreaterThan(0);
      // A frame announcing 32 MiB was refused at its header, not read to the end.
      for (const r of outcomes.get('hugeFrame /sync/notes/p') ?? []) expect(r.sent).toBeLessThan(32 * MiB);

      expect(peak - before, 'memory growth (MiB)').toBeLessThan(300);
      expect(report.relayLost).toBe(0);
      expect(report.closed).toEqual([]);
      expect(report.relayP99, 'victim relay p99 (ms)').toBeLessThan(250);
      expect(report.healthP99, '/health p99 (ms)').toBeLessThan(250);
      expect(report.healthFailed).toBe(0);
    } finally {
      await server.kill('SIGTERM');
    }
  });
});
