/**
 * The honest user of the security tests, in a process of its own so that an attack driven from
 * the test process cannot slow the measurement down: one user relays a note between two of their
 * own sockets every `intervalMs` (sent on one, timed until it arrives on the other) and polls
 * `/health`. Started by victim.ts; on 'stop' it sends back what it measured and exits.
 */
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { pageNote } from './ack-writer.ts';
import { decodeServerMessage, syncUpdate } from './yjs-frames.ts';

export interface ProbeOptions {
  wsUrl: string;
  httpUrl: string;
  token: string;
  room: string;
  intervalMs: number;
  /** A relay or /health answer not back after this long counts as this long (and as lost). */
  giveUpMs: number;
}

export interface ProbeResult {
  relay: number[];
  health: number[];
  /** Relays that never arrived, /health requests that failed or gave up. */
  relayLost: number;
  healthFailed: number;
  closed: number[];
}

function connect(url: string, onMessage?: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    if (onMessage) ws.on('message', onMessage);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function run(options: ProbeOptions, stopped: Promise<void>, onReady: () => void): Promise<ProbeResult> {
  const url = `${options.wsUrl}/${options.room}?token=${options.token}`;
  const received = new Y.Doc();
  // The receiver's handler is in place before the upgrade: the server's first message may follow it at once.
  const joined = Promise.withResolvers<void>();
  const [sender, receiver] = await Promise.all([
    connect(url),
    connect(url, (data) => {
      joined.resolve();
      const m = decodeServerMessage(new Uint8Array(data));
      if (m.type === 'sync' && m.step !== 0) Y.applyUpdate(received, m.payload);
    }),
  ]);
  const result: ProbeResult = { relay: [], health: [], relayLost: 0, healthFailed: 0, closed: [] };
  for (const ws of [sender, receiver]) ws.on('close', (code) => result.closed.push(code));
  const sentAt = new Map<string, number>();
  received.getMap('annotations').observe((event) => {
    const at = performance.now();
    for (const key of event.keysChanged) {
      const start = sentAt.get(key);
      if (start === undefined) continue;
      sentAt.delete(key);
      result.relay.push(at - start);
    }
  });
  // Joined once the server's sync step 1 arrives (it is sent after the join).
  await joined.promise;
  onReady();
  const doc = new Y.Doc();
  let n = 0;
  let running = true;
  void stopped.then(() => {
    running = false;
  });

  const relayLoop = (async () => {
    while (running) {
      const id = `probe-${n++}`;
      const before = Y.encodeStateVector(doc);
      insertAnnotation(doc, pageNote(id, 'probe'), null, new Date().toISOString());
      sentAt.set(id, performance.now());
      if (sender.readyState === sender.OPEN) sender.send(syncUpdate(Y.encodeStateAsUpdate(doc, before)));
      await new Promise((r) => setTimeout(r, options.intervalMs));
      const now = performance.now();
      for (const [key, start] of sentAt) {
        if (now - start < options.giveUpMs) continue;
        sentAt.delete(key);
        result.relayLost++;
        result.relay.push(options.giveUpMs);
      }
    }
  })();
  const healthLoop = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const response = await fetch(`${options.httpUrl}/health`, { signal: AbortSignal.timeout(options.giveUpMs) });
        await response.arrayBuffer();
        if (!response.ok) result.healthFailed++;
        result.health.push(performance.now() - start);
      } catch {
        result.healthFailed++;
        result.health.push(options.giveUpMs);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs * 5));
    }
  })();
  await Promise.all([relayLoop, healthLoop]);
  // What is still in flight gets its chance to arrive.
  const deadline = performance.now() + options.giveUpMs;
  while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  result.relayLost += sentAt.size;
  for (let i = 0; i < sentAt.size; i++) result.relay.push(options.giveUpMs);
  sender.terminate();
  receiver.terminate();
  return result;
}

if (process.send) {
  const options = JSON.parse(process.argv[2] ?? '{}') as ProbeOptions;
  const stop = Promise.withResolvers<void>();
  process.on('message', (message) => {
    if (message === 'stop') stop.resolve();
  });
  run(options, stop.promise, () => process.send?.({ ready: true })).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
}
