/**
 * A y-websocket client on a user's notes room that asked for notifications (`?notify=1`),
 * collecting the ones that arrive, as the extension's would.
 */

import type { Notification } from '@randnoter/shared/protocol/http-api';
import { MessageType } from '@randnoter/shared/protocol/message-types';
import { readNotificationJson } from '@randnoter/shared/protocol/wire';
import type * as decoding from 'lib0/decoding';
import { waitFor } from './wait-for.ts';
import { type Client, connectClient } from './yjs-clients.ts';

export interface NotificationClient extends Client {
  received: Array<Notification & { at: number }>;
}

export async function listenForNotifications(wsUrl: string, token: string, packetId = 'inbox-watch'): Promise<NotificationClient> {
  const client = connectClient(wsUrl, `notes/${packetId}`, token, { notify: '1' });
  const received: Array<Notification & { at: number }> = [];
  client.provider.messageHandlers[MessageType.notification] = (_encoder: unknown, decoder: decoding.Decoder) => {
    received.push({ ...(JSON.parse(readNotificationJson(decoder)) as Notification), at: Date.now() });
  };
  await waitFor(() => client.provider.synced, { what: 'the notification socket to sync' });
  return { ...client, received };
}
