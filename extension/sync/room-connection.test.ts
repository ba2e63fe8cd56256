/**
 * The extension's sockets carry the token in the auth message, never in the URL (docs/PROTOCOL.md):
 * a server that records what it receives sees a URL without the token and the auth message first.
 */
import type { AddressInfo } from 'node:net';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { AuthMessage, MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { connectRoom, type RoomConnection } from './room-connection.ts';

const TOKEN = 'rn_secret-token-for-this-test';

/** The token of an auth message (the first frame of every socket of the extension). */
function tokenOf(frame: Uint8Array): string {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarString(decoder);
}

/** A server that refuses (4401) the tokens in `refused` and keeps every other socket open; it records each socket's token. */
async function startCheckingServer(refused: Set<string>): Promise<{ url: string; tokens: string[]; close(): void }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const tokens: string[] = [];
  server.on('connection', (socket) => {
    socket.once('message', (data: Buffer) => {
      const token = tokenOf(new Uint8Array(data));
      tokens.push(token);
      if (refused.has(token)) socket.close(CloseCode.unauthorized, 'unknown, revoked or expired token');
    });
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, tokens, close: () => server.close() };
}

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
    const room: RoomConnection = connectRoom({
      identity: { serverUrl: `http://127.0.0.1:${port}`, token: TOKEN },
      room: 'notes/p1',
      doc: new Y.Doc(),
    });
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

  it('asks for a new token when the server refuses one (4401), and reconnects with it', async () => {
    const server = await startCheckingServer(new Set(['rna_expired']));
    cleanups.push(server.close);
    const identity = { serverUrl: server.url, token: 'rna_expired' };
    const asked: string[] = [];
    const room = connectRoom({
      identity,
      room: 'notes/p1',
      doc: new Y.Doc(),
      renew: async (rejected) => {
        asked.push(rejected);
        identity.token = 'rna_fresh';
        return true;
      },
    });
    cleanups.push(() => room.destroy());
    await vi.waitFor(() => expect(server.tokens).toEqual(['rna_expired', 'rna_fresh']));
    expect(asked).toEqual(['rna_expired']);
    expect(room.status().refused).toBeNull();
  });

  it('stays refused, and says so, when no new token comes, or when the new one is refused too', async () => {
    const server = await startCheckingServer(new Set(['rna_ended', 'rna_also-refused']));
    cleanups.push(server.close);

    const ended = connectRoom({
      identity: { serverUrl: server.url, token: 'rna_ended' },
      room: 'notes/p1',
      doc: new Y.Doc(),
      renew: async () => false,
    });
    cleanups.push(() => ended.destroy());
    await vi.waitFor(() => expect(ended.status().refused).toBe(CloseCode.unauthorized));

    const identity = { serverUrl: server.url, token: 'rna_ended' };
    let renewals = 0;
    const again = connectRoom({
      identity,
      room: 'notes/p2',
      doc: new Y.Doc(),
      renew: async () => {
        renewals++;
        identity.token = 'rna_also-refused';
        return true;
      },
    });
    cleanups.push(() => again.destroy());
    await vi.waitFor(() => expect(again.status().refused).toBe(CloseCode.unauthorized));
    // One renewal per token the server took: no loop of refreshes against a server that refuses them all.
    expect(renewals).toBe(1);
    expect(server.tokens).toEqual(['rna_ended', 'rna_ended', 'rna_also-refused']);
  });

  it('counts changes the server had not confirmed before a reload as waiting, and keeps the count as it changes', async () => {
    // Nobody listens here: the changes stay unconfirmed, as offline.
    const probe = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const kept: number[] = [];
    const doc = new Y.Doc();
    const room = connectRoom({
      identity: { serverUrl: `http://127.0.0.1:${port}`, token: TOKEN },
      room: 'notes/p1',
      doc,
      unsaved: { initial: 2, changed: (count) => kept.push(count) },
    });
    cleanups.push(() => room.destroy());
    // Two notes written before the reload, offline: both still wait.
    expect(room.status().unsaved).toBe(2);
    doc.getMap('annotations').set('n3', new Y.Map());
    expect(room.status().unsaved).toBe(3);
    expect(kept.at(-1)).toBe(3);
  });
});
