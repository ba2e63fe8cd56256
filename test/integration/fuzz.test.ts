/**
 * Seeded fuzzing of the socket protocol: thousands of malformed frames and mutated Yjs and
 * awareness payloads from several attackers. Each bad frame closes only the socket that sent it;
 * meanwhile two honest clients in another room keep syncing, and afterwards the fuzzed room
 * still loads and the server is healthy.
 */
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { pageNote } from '../support/ack-writer.ts';
import { frame, openRawSocket } from '../support/raw-socket.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const FRAMES_PER_ATTACKER = 1_700;
const ATTACKERS = 3;
const MAX_MS = 60_000;

/** Real updates to mutate: fuzzing near valid input reaches deeper than random bytes. */
function sampleUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < 20; i++) insertAnnotation(doc, pageNote(`s${i}`, `sample ${i}`), { id: 'u', name: 'n' }, '2026-01-01T10:00:00Z');
  doc.getMap('annotations').delete('s3');
  return out;
}

type Fuzz = { kind: 'binary' | 'text' | 'wire'; bytes: Uint8Array };

function fuzzer(seed: number) {
  const rand = seededRandom(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const samples = sampleUpdates();
  const mutate = (input: Uint8Array): Uint8Array => {
    const out = Uint8Array.from(input);
    const edits = 1 + int(4);
    for (let i = 0; i < edits; i++) {
      const at = int(out.length);
      const op = int(4);
      if (op === 0) out[at] = int(256);
      else if (op === 1) out[at] = (out[at] as number) ^ (1 << int(8));
      else if (op === 2) return out.subarray(0, at);
      else out[at] = [0, 0x7f, 0x80, 0xff][int(4)] as number;
    }
    return out;
  };
  /** A sync message: the step, then the payload. */
  const syncFrame = (step: number, payload: Uint8Array) =>
    message(0, (e) => {
      encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, payload);
    });
  const message = (type: number, write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, type);
    write(e);
    return encoding.toUint8Array(e);
  };
  const sample = () => samples[int(samples.length)] as Uint8Array;
  const generators: Array<() => Fuzz> = [
    () => ({ kind: 'binary', bytes: bytes(int(64)) }),
    () => ({
      kind: 'binary',
      bytes: syncFrame(int(4), bytes(int(100))),
    }),
    () => ({ kind: 'binary', bytes: syncFrame(2, mutate(sample())) }),
    () => ({ kind: 'binary', bytes: syncFrame(1, mutate(sample())) }),
    () => ({
      kind: 'binary',
      bytes: syncFrame(0, mutate(Y.encodeStateVector(new Y.Doc()))),
    }),
    () => ({ kind: 'binary', bytes: mutate(syncFrame(2, sample())) }),
    () => ({ kind: 'binary', bytes: message(1, (e) => encoding.writeVarUint8Array(e, bytes(int(80)))) }),
    () => ({
      kind: 'binary',
      bytes: message(1, (e) => {
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, 1 + int(3));
        encoding.writeVarUint(inner, int(2 ** 32));
        encoding.writeVarUint(inner, int(10));
        encoding.writeVarString(
          inner,
          ['{"user":{"name":"x"}}', 'null', '[1,2]', '{bad json', '"str"', '{"user":"s"}', '7'][int(7)] as string,
        );
        encoding.writeVarUint8Array(e, rand() < 0.5 ? encoding.toUint8Array(inner) : mutate(encoding.toUint8Array(inner)));
      }),
    }),
    () => ({ kind: 'binary', bytes: message(2 + int(250), (e) => encoding.writeVarUint8Array(e, bytes(int(20)))) }),
    () => ({ kind: 'binary', bytes: Uint8Array.of(0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3) }), // length far past the end
    () => ({ kind: 'binary', bytes: message(3, () => {}) }), // a valid query: fine
    () => ({ kind: 'text', bytes: bytes(int(40)) }),
    () => ({ kind: 'wire', bytes: frame(int(16), bytes(int(10)), { mask: rand() < 0.8, fin: rand() < 0.8 }) }),
  ];
  return () => (generators[int(generators.length)] as () => Fuzz)();
}

describe('fuzzing the socket protocol', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('closes only the offending socket for thousands of seeded bad frames while another room keeps syncing', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const mallory = await server.addUser('Mallory');
    const writer = await connectSynced(server.wsUrl, 'notes/rolig', anne.token);
    const reader = await connectSynced(server.wsUrl, 'notes/rolig', anne.token);
    clients.push(writer, reader);
    let honestCloses = 0;
    for (const c of [writer, reader]) c.provider.on('connection-close', () => void honestCloses++);

    let attacking = true;
    let written = 0;
    const honest = (async () => {
      while (attacking && written < 2_000) {
        insertAnnotation(writer.doc, pageNote(`n${written}`, `rolig ${written}`), null, '2026-01-01T10:00:00Z');
        written++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const closeCodes = new Map<number, number>();
    let sent = 0;
    const started = Date.now();
    const attack = async (seed: number) => {
      const next = fuzzer(seed);
      let ws: WebSocket | null = null;
      for (let i = 0; i < FRAMES_PER_ATTACKER && Date.now() - started < MAX_MS; i++) {
        const fuzz = next();
        if (fuzz.kind === 'wire') {
          const raw = await openRawSocket(server.port, `/sync/notes/fuzz-${seed}?token=${mallory.token}`);
          raw.sendRaw(fuzz.bytes);
          raw.sendRaw(frame(8, Uint8Array.of(0x03, 0xe8))); // then a polite close, in case the bytes were harmless
          const { code } = await raw.closed;
          closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
          sent++;
          continue;
        }
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          const socket = new WebSocket(`${server.wsUrl}/notes/fuzz-${seed % 2}?token=${mallory.token}`);
          socket.on('close', (code) => closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1));
          socket.on('error', () => {});
          await new Promise<void>((resolve) => {
            socket.once('open', () => resolve());
            socket.once('close', () => resolve());
          });
          ws = socket;
          if (ws.readyState !== WebSocket.OPEN) continue;
        }
        ws.send(fuzz.bytes, { binary: fuzz.kind === 'binary' });
        sent++;
        // Wait for the verdict on this frame (closed, or still open after a round trip).
        await new Promise<void>((resolve) => {
          const socket = ws as WebSocket;
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, 20);
          socket.once('close', done);
          socket.ping();
          socket.once('pong', done);
        });
      }
      ws?.close();
    };
    await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => attack(1_000 + i)));
    attacking = false;
    await honest;

    // The honest room never noticed.
    await waitFor(() => liveAnnotations(reader.doc).length === written, { what: 'every honest note at the reader' });
    expect(honestCloses).toBe(0);
    // Offending sockets were closed with a protocol code; the server never failed (1011).
    const codes = [...closeCodes.keys()];
    expect(closeCodes.get(CloseCode.badMessage) ?? 0).toBeGreaterThan(500);
    expect(
      codes.every((c) => [1000, 1002, 1005, 1006, 1007, 1009, CloseCode.badMessage].includes(c)),
      JSON.stringify([...closeCodes]),
    ).toBe(true);
    expect(closeCodes.get(CloseCode.internalError)).toBeUndefined();
    console.log(
      `fuzz: ${sent} frames from ${ATTACKERS} attackers, close codes ${JSON.stringify(Object.fromEntries(closeCodes))}, ${written} honest notes synced`,
    );
    expect(sent).toBeGreaterThanOrEqual(ATTACKERS * FRAMES_PER_ATTACKER * 0.9);

    // Whatever the fuzzing stored still loads, and the server is healthy.
    for (const room of ['fuzz-0', 'fuzz-1']) {
      const honestInFuzzRoom = await connectSynced(server.wsUrl, `notes/${room}`, mallory.token);
      clients.push(honestInFuzzRoom);
    }
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ ok: true });
  });
});
