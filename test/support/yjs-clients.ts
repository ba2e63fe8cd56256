/** Unmodified y-websocket clients, as a browser would run them, with the `ws` package standing in for WebSocket. */
import { MessageType } from '@randnoter/shared/protocol/message-types';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './wait-for.ts';

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** `token` null: no `?token=` at all. `doc`: a document the client already holds (a reconnecting device). */
export function connectClient(
  wsUrl: string,
  room: string,
  token: string | null,
  params: Record<string, string> = {},
  doc: Y.Doc = new Y.Doc(),
): Client {
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === null ? params : { token, ...params },
    disableBc: true,
  });
  // Acks (?ack=1) are a Randnoter extra; y-websocket lets a client add handlers for extra message types.
  provider.messageHandlers[MessageType.ack] = () => {};
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
