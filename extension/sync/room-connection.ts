/**
 * Connects a Y.Doc to a Randnoter room with y-websocket, and tells the UI whether everything
 * local is durably stored: the socket asks for acks (?ack=1) and counts the document updates it
 * sends, so "Gemt" (saved) means the server has committed all of them. The token goes in the
 * auth message, the socket's first frame (docs/PROTOCOL.md), never in the URL, where proxies,
 * access logs and the browser's network log would keep it.
 *
 * The token is read from the identity each time a socket opens, so a reconnect uses the newest.
 * When the server refuses it (4401: an access token that expired or was replaced), `renew` is
 * asked for another and the room reconnects, once per refusal: a new token refused again means
 * the user must sign in again.
 */

import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import { encodeAuthMessage, readAckCount, readNotificationJson } from '@randnoter/shared/protocol/wire';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ServerIdentity } from './server-api.ts';

type Connection = 'connecting' | 'connected' | 'offline';

interface RoomStatus {
  connection: Connection;
  /** Local changes the server has not yet confirmed as stored. */
  unsaved: number;
  /** The close code with which the server last refused us (e.g. 4401, a revoked token); i18n/problems.ts says it to the user. */
  refused: number | null;
}

export interface RoomConnection {
  readonly provider: WebsocketProvider;
  status(): RoomStatus;
  onStatus(listener: (status: RoomStatus) => void): () => void;
  destroy(): void;
}

/** Sync message carrying document content: [0 = sync, 1 = step 2 | 2 = update, ...]. */
function isDocumentUpdate(data: unknown): boolean {
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  return bytes !== null && bytes[0] === MessageType.sync && (bytes[1] === 1 || bytes[1] === 2);
}

/** The auth message (shared/protocol/wire.ts), in a buffer of its own as WebSocket.send wants. */
const authFrame = (token: string): Uint8Array<ArrayBuffer> => new Uint8Array(encodeAuthMessage(token));

export interface RoomOptions {
  /** Read when each socket opens: `token` may change between reconnects. */
  identity: ServerIdentity;
  room: string;
  doc: Y.Doc;
  readOnly?: boolean;
  /** The server refused `rejected` (4401): resolves true when there is a new token to try. */
  renew?: (rejected: string) => Promise<boolean>;
  /**
   * Local changes not yet confirmed when the page last closed (they are in the local copy, not
   * necessarily on the server), and where to keep the count as it changes: so "venter" is right
   * after a reload, not only for the changes made since.
   */
  unsaved?: { initial: number; changed(count: number): void };
  /**
   * Read-only rooms (only the server writes them): the server's document lacks something this
   * copy holds, so the copy is of a room the server has since rewritten (an erasure, retention,
   * comments moved to a closed item) while this browser was away. Said when the server's first
   * sync message arrives, before anything of the copy is shown as the server's.
   */
  onAhead?: () => void;
  /**
   * Also carry the user's new notifications (`?notify=1`, message 101, docs/NOTIFICATIONS.md):
   * called with the JSON of each. One socket of a page is enough.
   */
  onNotification?: (json: string) => void;
}

/** Whether `local` (a state vector) holds anything `server` does not. */
function holdsMore(local: Map<number, number>, server: Map<number, number>): boolean {
  for (const [client, clock] of local) if (clock > (server.get(client) ?? 0)) return true;
  return false;
}

export function connectRoom(options: RoomOptions): RoomConnection {
  const listeners = new Set<(status: RoomStatus) => void>();
  let sent = 0;
  let acked = 0;
  let unsaved = options.unsaved?.initial ?? 0;
  let reported = unsaved;
  let refused: number | null = null;
  let connection: Connection = 'connecting';
  let destroyed = false;
  /** The token the newest socket authenticated with, and whether it was renewed since the server last took one. */
  let usedToken = '';
  let renewedSinceConnected = false;
  const willRenew = (code: number) => code === CloseCode.unauthorized && options.renew !== undefined && !renewedSinceConnected;
  const emit = () => {
    if (unsaved !== reported) {
      reported = unsaved;
      options.unsaved?.changed(unsaved);
    }
    const status = { connection, unsaved, refused };
    for (const listener of listeners) listener(status);
  };

  class CountingWebSocket extends WebSocket {
    private authSent = false;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sent = 0;
      acked = 0;
      this.addEventListener('close', (event) => {
        // 4400-4499: the server decided (bad token, no access); y-websocket will not retry.
        if (event.code >= 4400 && event.code < 4500 && !willRenew(event.code)) {
          refused = event.code;
          emit();
        }
      });
    }
    override send(data: Parameters<WebSocket['send']>[0]): void {
      // y-websocket sends only once the socket is open: the auth message goes first, before anything of its own.
      if (!this.authSent) {
        this.authSent = true;
        usedToken = options.identity.token;
        super.send(authFrame(usedToken));
      }
      if (isDocumentUpdate(data)) sent++;
      super.send(data);
    }
  }

  const wsUrl = `${options.identity.serverUrl.replace(/^http/, 'ws')}/sync`;
  const provider = new WebsocketProvider(wsUrl, options.room, options.doc, {
    WebSocketPolyfill: CountingWebSocket,
    params: options.onNotification ? { ack: '1', notify: '1' } : { ack: '1' },
    disableBc: true,
  });
  provider.on('closed', ({ code }: { code: number }) => {
    if (!willRenew(code)) return;
    renewedSinceConnected = true;
    const renew = options.renew as (rejected: string) => Promise<boolean>;
    void renew(usedToken)
      .catch(() => false)
      .then((renewed) => {
        if (destroyed) return;
        if (renewed) {
          provider.connect();
          return;
        }
        refused = code;
        emit();
      });
  });
  if (options.readOnly && options.onAhead) {
    const onAhead = options.onAhead;
    const handleSync = provider.messageHandlers[MessageType.sync] as (typeof provider.messageHandlers)[number];
    provider.messageHandlers[MessageType.sync] = (encoder, decoder, p, emitSynced, messageType) => {
      // A peek at the server's sync step 1 (its state vector); y-websocket then reads it as always.
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === SyncStep.step1) {
        const server = Y.decodeStateVector(decoding.readVarUint8Array(peek));
        if (holdsMore(Y.decodeStateVector(Y.encodeStateVector(options.doc)), server)) {
          onAhead();
          return;
        }
      }
      handleSync(encoder, decoder, p, emitSynced, messageType);
    };
  }
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder: decoding.Decoder) => {
    acked = readAckCount(decoder);
    if (acked >= sent && provider.synced) unsaved = 0;
    emit();
  };

  const onNotification = options.onNotification;
  if (onNotification) {
    provider.messageHandlers[MessageType.notification] = (_encoder, decoder: decoding.Decoder) => {
      onNotification(readNotificationJson(decoder));
    };
  }

  const onLocalUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    unsaved++;
    emit();
  };
  options.doc.on('update', onLocalUpdate);
  let everConnected = false;
  provider.on('status', ({ status }: { status: string }) => {
    // y-websocket keeps saying "connecting" while it retries an unreachable server; to the user
    // that is offline. Only the very first attempt is "connecting".
    if (status === 'connected') everConnected = true;
    const retrying = everConnected || provider.wsUnsuccessfulReconnects > 0;
    connection = status === 'connected' ? 'connected' : status === 'connecting' && !retrying ? 'connecting' : 'offline';

    if (connection === 'connected') refused = null;
    emit();
  });
  provider.on('sync', (synced: boolean) => {
    // The server answered: it took the token (an open socket alone does not say so).
    if (synced) renewedSinceConnected = false;
    // A fresh sync with nothing of ours outstanding means the server has everything.
    if (synced && (options.readOnly || acked >= sent)) unsaved = 0;
    emit();
  });

  return {
    provider,
    status: () => ({ connection, unsaved, refused }),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      options.doc.off('update', onLocalUpdate);
      listeners.clear();
      provider.destroy();
    },
  };
}
