/**
 * One signed-in user, in their own private rooms, against everyone else. The red-team pass:
 * 4 sockets that never read, sending 150 one-byte presence queries each into a room whose 40
 * sockets held 16 KiB presence states, took the server to 2,396 MiB and stalled another user's
 * relay for over 15 s; 40 sync step 1 requests (160 bytes in all) against a 7.5 MiB room sent
 * 301 MiB back and stalled it 7.3 s; one 7.5 MiB update of 400,000 map entries stalled it 1.1-5.3 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type HostileSocket, hostileSocket } from '../support/hostile-socket.ts';
import { resetPeak, residentMiB } from '../support/process-memory.ts';
import { lastWord, runAdmin, type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { tempDbPath } from '../support/test-database.ts';
import { describeReport, startVictim, type VictimReport } from '../support/victim.ts';
import { waitFor } from '../support/wait-for.ts';
import { openWebSocket } from '../support/ws-socket.ts';
import { awarenessEntry, queryAwareness, syncUpdate } from '../support/yjs-frames.ts';

const SYNC_STEP1_EMPTY = new Uint8Array([0, 0, 1, 0]);

interface Arena {
  server: SpawnedServer;
  pid: number;
  attacker: string;
  victim: string;
}

async function arena(): Promise<Arena> {
  const db = tempDbPath();
  const attacker = lastWord((await runAdmin(['user', 'add', '--name', 'Mallory', '--db', db])).stdout);
  const victim = lastWord((await runAdmin(['user', 'add', '--name', 'Vera', '--db', db])).stdout);
  const server = await spawnServer(db);
  return { server, pid: server.child.pid as number, attacker, victim };
}

/** Runs `attack` while the victim measures; returns the victim's report and the server's memory growth. */
async function underAttack(a: Arena, what: string, attack: () => Promise<void>): Promise<{ report: VictimReport; grewMiB: number }> {
  const victim = await startVictim({ wsUrl: a.server.wsUrl, httpUrl: a.server.url, token: a.victim });
  const before = residentMiB(a.pid).rss;
  resetPeak(a.pid);
  await attack();
  const report = await victim.stop();
  const grewMiB = residentMiB(a.pid).peak - before;
  console.log(describeReport(what, report, grewMiB));
  return { report, grewMiB };
}

function expectUnharmed({ report, grewMiB }: { report: VictimReport; grewMiB: number }): void {
  expect(grewMiB, 'memory growth (MiB)').toBeLessThan(500);
  expect(report.relayLost, 'victim relays lost').toBe(0);
  expect(report.closed).toEqual([]);
  expect(report.relayP99, 'victim relay p99 (ms)').toBeLessThan(250);
  expect(report.healthP99, '/health p99 (ms)').toBeLessThan(250);
  expect(report.healthFailed).toBe(0);
}

describe('one signed-in user in their own rooms', () => {
  let current: Arena | null = null;
  const sockets: Array<WebSocket | HostileSocket> = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s instanceof WebSocket ? s.terminate() : s.destroy();
    await current?.server.kill('SIGTERM');
    current = null;
  });

  it('cannot blow up memory or stall others with presence queries from sockets that do not read', async () => {
    current = await arena();
    const a = current;
    const room = `${a.server.wsUrl}/notes/presence-flood?token=${a.attacker}`;
    const big = { user: {}, note: 'x'.repeat(16 * 1024 - 100) };
    const result = await underAttack(a, 'presence queries from sockets that do not read', async () => {
      for (let i = 0; i < 40; i++) {
        const ws = await openWebSocket(room);
        sockets.push(ws);
        for (let id = 0; id < 8; id++) ws.send(awarenessEntry(1_000 + i * 8 + id, 1, big));
      }
      const queries = Array.from({ length: 150 }, () => queryAwareness());
      const stalled = Array.from({ length: 4 }, () =>
        hostileSocket(a.server.port, `/sync/notes/presence-flood?token=${a.attacker}`, { kind: 'sendThenStopReading', messages: queries }),
      );
      sockets.push(...stalled);
      await Promise.all(stalled.map((s) => s.answered));
      // The presence keeps changing meanwhile, as it would with 40 readers turning pages.
      for (let round = 2; round < 12; round++) {
        for (const [i, ws] of (sockets.slice(0, 40) as WebSocket[]).entries()) ws.send(awarenessEntry(1_000 + i * 8, round, big));
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    expectUnharmed(result);
  });

  it('cannot blow up memory or stall others by asking for a big room again and again', async () => {
    current = await arena();
    const a = current;
    const room = `${a.server.wsUrl}/notes/big-room?token=${a.attacker}&ack=1`;
    // 7.5 MiB of notes, written once.
    const doc = new Y.Doc();
    doc.transact(() => {
      const notes = doc.getMap('annotations');
      for (let i = 0; i < 750; i++) notes.set(`n${i}`, 'x'.repeat(10_000));
    });
    const writer = await openWebSocket(room);
    sockets.push(writer);
    let acked = false;
    writer.on('message', (data: Buffer) => {
      if (data[0] === 100) acked = true;
    });
    writer.send(syncUpdate(Y.encodeStateAsUpdate(doc)));
    await waitFor(() => acked, { timeoutMs: 30_000, what: 'the big room stored' });
    const result = await underAttack(a, 'sync requests for a 7.5 MiB room', async () => {
      const askers = Array.from({ length: 4 }, () =>
        hostileSocket(a.server.port, `/sync/notes/big-room?token=${a.attacker}`, {
          kind: 'sendThenStopReading',
          messages: Array.from({ length: 40 }, () => SYNC_STEP1_EMPTY),
        }),
      );
      sockets.push(...askers);
      await Promise.all(askers.map((s) => s.answered));
      await new Promise((r) => setTimeout(r, 3_000));
    });
    expectUnharmed(result);
  });
});
