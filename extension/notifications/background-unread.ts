/**
 * The background's side of the badge: the count asked of the server with the user's token (the
 * sign-in's, else a pasted one), and the live reports of the extension's own pages.
 */
import type { browser } from 'wxt/browser';

type Api = typeof browser;

import type { TokenKeeper } from '../auth/token-keeper.ts';
import { isUnreadReport, NOTIFY_PORT } from '../messaging/notify-messages.ts';
import type { Settings } from '../settings/settings.ts';
import { ApiError, fetchUnreadCount } from '../sync/server-api.ts';
import type { UnreadBadge } from './unread-badge.ts';

/** The count for the settings' server; null when nobody is signed in there. Rejects when the server was not reached. */
export async function unreadCountFor(keeper: Pick<TokenKeeper, 'accessToken'>, settings: Pick<Settings, 'serverUrl' | 'token'>) {
  if (!settings.serverUrl) return null;
  const reply = await keeper.accessToken(settings.serverUrl);
  if (reply.kind === 'unreachable') throw new Error('the server was not reached');
  const token = reply.kind === 'token' ? reply.token : reply.kind === 'signed-out' ? settings.token : '';
  if (!token) return null;
  try {
    return await fetchUnreadCount({ serverUrl: settings.serverUrl, token });
  } catch (error) {
    // A token the server no longer takes: nobody to count for until the user signs in again.
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Takes the ports of the extension's own pages (not content scripts in web pages) that report a live count. */
export function acceptLivePorts(runtime: Pick<Api['runtime'], 'onConnect' | 'getURL' | 'id'>, badge: UnreadBadge): void {
  const origin = (runtime.getURL as (path: string) => string)('/');
  runtime.onConnect.addListener((port) => {
    if (port.name !== NOTIFY_PORT || port.sender?.id !== runtime.id || !port.sender?.url?.startsWith(origin)) return;
    badge.liveOpened(port);
    port.onMessage.addListener((message: unknown) => {
      if (isUnreadReport(message)) badge.liveCount(port, message.count);
    });
    port.onDisconnect.addListener(() => badge.liveClosed(port));
  });
}
