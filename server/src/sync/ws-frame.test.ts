import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame, frameOf } from './ws-frame.ts';

/** A WebSocket server whose sockets we write our own frames to, and a `ws` client that reads them. */
let http: Server;
let port = 0;
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
let nextStream: ((stream: Duplex) => void) | null = null;

beforeAll(async () => {
  http = createServer();
  http.on('upgrade', (request, stream, head) => wss.handleUpgrade(request, stream, head, () => nextStream?.(stream)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

/** Writes `bytes` straight onto an upgraded socket; resolves with the messages a client read from them. */
async function readAsClient(bytes: Uint8Array, expected: number): Promise<Array<{ data: Buffer; binary: boolean }>> {
  const stream = new Promise<Duplex>((resolve) => {
    nextStream = resolve;
  });
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const messages: Array<{ data: Buffer; binary: boolean }> = [];
  const done = new Promise<void>((resolve, reject) => {
    client.on('message', (data: Buffer, binary: boolean) => {
      messages.push({ data, binary });
      if (messages.length === expected) resolve();
    });
    client.on('error', reject);
    client.on('close', (code) => reject(new Error(`closed with ${code}`)));
  });
  (await stream).write(bytes);
  await done;
  client.terminate();
  return messages;
}

describe('binaryFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])('frames %i bytes so that a client reads them back exactly', async (length) => {
    const payload = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
    const frame = binaryFrame(payload);
    expect(frame.byteLength - length).toBe(length < 126 ? 2 : length < 65_536 ? 4 : 10);
    const [message] = await readAsClient(frame, 1);
    expect(message?.binary).toBe(true);
    expect(new Uint8Array(message?.data ?? [])).toEqual(payload);
  });

  it('reads back as consecutive messages when frames follow one another on a stream', async () => {
    const a = binaryFrame(Uint8Array.of(1, 2, 3));
    const b = binaryFrame(new Uint8Array(300).fill(9));
    const messages = await readAsClient(Buffer.concat([a, b, a]), 3);
    expect(messages.map((m) => m.data.byteLength)).toEqual([3, 300, 3]);
  });
});

describe('frameOf', () => {
  it('frames a message once while it goes to one socket after another, and frames the next message anew', () => {
    const relay = Uint8Array.of(0, 2, 1, 5);
    const first = frameOf(relay);
    expect(frameOf(relay)).toBe(first);
    const next = Uint8Array.of(0, 2, 1, 5);
    const framed = frameOf(next);
    expect(framed).not.toBe(first);
    expect(framed).toEqual(first);
  });

  it('does not keep a big message alive: it is framed per socket', () => {
    const big = new Uint8Array(64 * 1024 + 1);
    const first = frameOf(big);
    expect(frameOf(big)).not.toBe(first);
    expect(frameOf(big)).toEqual(first);
  });
});
