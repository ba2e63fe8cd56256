/** Unmodified y-websocket clients, as a browser would run them, with the `ws` package standing in for WebSocket. */
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './wait-for.ts';

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectClient(wsUrl: string, room: string, token: string, params: Record<string, string> = {}): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token, ...params },
    disableBc: true,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function connectSynced(wsUrl: string, room: string, token: string, params: Record<string, string> = {}): Promise<Client> {
  const client = connectClient(wsUrl, room, token, params);
  await waitFor(() => client.provider.synced, { what: `sync of ${room}` });
  return client;
}
