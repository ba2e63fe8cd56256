/**
 * The extension's sockets carry the token in the auth message, never in the URL (docs/PROTOCOL.md):
 * a server that records what it receives sees a URL without the token and the auth message first.
 */
import type { AddressInfo } from 'node:net';
import { AuthMessage, MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { connectRoom, type RoomConnection } from './room-connection.ts';

const TOKEN = 'rn_secret-token-for-this-test';

describe('room connection', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('sends the token in the auth message, first, and never in the socket URL', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.close());
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const seen = new Promise<{ url: string; frames: Uint8Array[] }>((resolve) => {
      server.once('connection', (socket, request) => {
        const frames: Uint8Array[] = [];
        socket.on('message', (data: Buffer) => {
          frames.push(new Uint8Array(data));
          if (frames.length === 2) resolve({ url: request.url ?? '', frames });
        });
      });
    });

    const { port } = server.address() as AddressInfo;
    const room: RoomConnection = connectRoom({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN, room: 'notes/p1', doc: new Y.Doc() });
    cleanups.push(() => room.destroy());
    const { url, frames } = await seen;

    expect(url).not.toContain(TOKEN);
    expect(url).not.toMatch(/token/i);
    expect(new URL(url, 'http://x').pathname).toBe('/sync/notes/p1');
    expect(new URL(url, 'http://x').searchParams.get('ack')).toBe('1');

    const auth = decoding.createDecoder(frames[0] as Uint8Array);
    expect(decoding.readVarUint(auth)).toBe(MessageType.auth);
    expect(decoding.readVarUint(auth)).toBe(AuthMessage.token);
    expect(decoding.readVarString(auth)).toBe(TOKEN);
    expect(decoding.hasContent(auth)).toBe(false);

    // Then y-websocket's own opening: sync step 1.
    const next = decoding.createDecoder(frames[1] as Uint8Array);
    expect(decoding.readVarUint(next)).toBe(MessageType.sync);
    expect(decoding.readVarUint(next)).toBe(SyncStep.step1);
  });
});
