/**
 * An honest user's view of a server under attack. The victim relays notes between two of their
 * own sockets on their private notes room: one sends a note every `everyMs`, the other receives it;
 * a sample is the arrival minus the send (one process, one clock). Meanwhile `/health` is polled
 * one request at a time and each answer timed. A request or socket that fails is recorded.
 */
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { pageNote } from './ack-writer.ts';
import { waitFor } from './wait-for.ts';
import { decodeServerMessage, syncStep1, syncUpdate } from './yjs-frames.ts';

/** How many samples there were at a moment: a phase's samples lie between two marks. */
export interface Mark {
  relay: number;
  health: number;
}

export interface VictimProbe {
  /** Relay latencies so far, in ms. */
  readonly relayMs: readonly number[];
  /** /health answer times so far, in ms. */
  readonly healthMs: readonly number[];
  /** What went wrong: failed health checks, closed sockets, notes never relayed. */
  readonly failures: readonly string[];
  mark(): Mark;
  /** Stops sending and polling; waits for the notes in flight, counting any never relayed as a failure. */
  stop(): Promise<void>;
}

export interface ProbeTarget {
  url: string;
  wsUrl: string;
}

function openSocket(url: string, failures: string[], name: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', (error) => failures.push(`${name} socket error: ${error.message}`));
    ws.once('open', () => {
      ws.on('close', (code) => failures.push(`${name} socket closed (${code})`));
      resolve(ws);
    });
    ws.once('close', (code) => reject(new Error(`${name} socket closed before opening (${code})`)));
  });
}

export async function startVictimProbe(
  server: ProbeTarget,
  token: string,
  packetId: string,
  { everyMs = 25, healthEveryMs = 50, healthTimeoutMs = 10_000 } = {},
): Promise<VictimProbe> {
  const failures: string[] = [];
  const relayMs: number[] = [];
  const healthMs: number[] = [];
  const room = `${server.wsUrl}/notes/${packetId}?token=${token}`;
  const receiver = await openSocket(room, failures, 'receiver');
  const writer = await openSocket(room, failures, 'writer');

  const sentAt = new Map<string, number>();
  const seen = new Y.Doc();
  seen.getMap('annotations').observe((event) => {
    const now = performance.now();
    for (const id of event.keysChanged) {
      const sent = sentAt.get(id);
      if (sent === undefined) continue;
      relayMs.push(now - sent);
      sentAt.delete(id);
    }
  });
  receiver.on('message', (data: Buffer) => {
    const m = decodeServerMessage(new Uint8Array(data));
    if (m.type === 'sync' && m.step !== SyncStep.step1) Y.applyUpdate(seen, m.payload);
  });
  receiver.send(syncStep1(seen));

  const doc = new Y.Doc();
  let count = 0;
  const writing = setInterval(() => {
    if (writer.readyState !== WebSocket.OPEN) return;
    const id = `victim-${count++}`;
    const before = Y.encodeStateVector(doc);
    insertAnnotation(doc, pageNote(id, `note ${id}`), null, new Date().toISOString());
    sentAt.set(id, performance.now());
    writer.send(syncUpdate(Y.encodeStateAsUpdate(doc, before)));
  }, everyMs);

  let polling = true;
  const health = (async () => {
    while (polling) {
      const started = performance.now();
      try {
        const response = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(healthTimeoutMs) });
        const body = (await response.json()) as { ok?: boolean };
        healthMs.push(performance.now() - started);
        if (response.status !== 200 || body.ok !== true) failures.push(`/health answered ${response.status}`);
      } catch (error) {
        healthMs.push(performance.now() - started);
        failures.push(`/health failed: ${String(error)}`);
      }
      // Paces the poll (one request at a time); the latency measured is the request's own.
      await new Promise((r) => setTimeout(r, Math.max(0, healthEveryMs - (performance.now() - started))));
    }
  })();

  return {
    relayMs,
    healthMs,
    failures,
    mark: () => ({ relay: relayMs.length, health: healthMs.length }),
    async stop() {
      clearInterval(writing);
      polling = false;
      await health;
      try {
        await waitFor(() => sentAt.size === 0, { timeoutMs: 10_000, what: 'the victim’s last notes to be relayed' });
      } catch {
        failures.push(`${sentAt.size} notes never relayed`);
      }
      receiver.removeAllListeners('close');
      writer.removeAllListeners('close');
      receiver.terminate();
      writer.terminate();
    },
  };
}

/** Nearest-rank percentile. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] as number;
}
