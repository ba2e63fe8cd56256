import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { setFrameLimit } from './frame-limit.ts';

describe('setFrameLimit', () => {
  let wss: WebSocketServer | null = null;
  afterEach(() => wss?.close());

  async function pair(onServerSocket: (ws: WebSocket) => void): Promise<{ client: WebSocket; received: number[] }> {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 1024 * 1024 });
    const received: number[] = [];
    wss.on('connection', (ws) => {
      onServerSocket(ws);
      ws.on('message', (data: Buffer) => {
        received.push(data.byteLength);
        if (data.byteLength === 1) setFrameLimit(ws, 64 * 1024, 16); // "authenticated"
      });
      ws.on('error', () => {});
    });
    await new Promise((r) => wss?.once('listening', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    client.on('error', () => {});
    await new Promise((r) => client.once('open', r));
    return { client, received };
  }

  it('refuses a frame above the per-socket limit with 1009, then accepts it once raised', async () => {
    const { client, received } = await pair((ws) => setFrameLimit(ws, 1024, 2));
    client.send(new Uint8Array(1));
    client.send(new Uint8Array(2048));
    await vi.waitFor(() => expect(received).toEqual([1, 2048]));
    client.close();

    const second = await pair((ws) => setFrameLimit(ws, 1024, 2));
    const closed = new Promise<number>((r) => second.client.once('close', r));
    second.client.send(new Uint8Array(2048));
    expect(await closed).toBe(1009);
    expect(second.received).toEqual([]);
  });

  it('refuses a message split into more fragments than allowed with 1008', async () => {
    const { client, received } = await pair((ws) => setFrameLimit(ws, 1024, 2));
    const closed = new Promise<number>((r) => client.once('close', r));
    for (let i = 0; i < 3; i++) client.send(new Uint8Array(4), { fin: i === 2 });
    expect(await closed).toBe(1008);
    expect(received).toEqual([]);
  });
});
