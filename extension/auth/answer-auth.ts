/**
 * The background's answers to the pages' sign-in questions (messaging/auth-messages.ts). Only the
 * extension's own pages are answered: a content script is the extension's too (same sender id)
 * but runs in the web page's process, so a sender must also be a page of the extension's origin.
 * Browsers set `sender.url` themselves; a page cannot make its content script look like an
 * extension page.
 */
import { type AuthReply, type AuthRequest, isAuthRequest } from '../messaging/auth-messages.ts';
import type { TokenKeeper } from './token-keeper.ts';

interface Sender {
  id?: string;
  url?: string;
}

export interface ExtensionOwnIdentity {
  id: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/`: runtime.getURL('/'). */
  origin: string;
}

function fromOwnPage(sender: Sender, own: ExtensionOwnIdentity): boolean {
  if (sender.id !== own.id || typeof sender.url !== 'string') return false;
  try {
    // Compared by scheme and host: URL.origin is "null" for extension URLs and file: pages alike.
    const url = new URL(sender.url);
    const ownUrl = new URL(own.origin);
    return url.protocol === ownUrl.protocol && url.host === ownUrl.host && url.host !== '';
  } catch {
    return false;
  }
}

function answer(request: AuthRequest, keeper: TokenKeeper): Promise<AuthReply[AuthRequest['type']]> {
  switch (request.type) {
    case 'rn:auth-token':
      return keeper.accessToken(request.serverUrl, request.rejected);
    case 'rn:auth-sign-in':
      return keeper.signIn(request.serverUrl, request.code, request.verifier);
    case 'rn:auth-sign-out':
      return keeper.signOut();
    case 'rn:auth-status':
      return keeper.status();
  }
}

/** The reply for a runtime.onMessage listener: a promise for the extension's own pages, undefined for anything else. */
export function answerAuth(
  message: unknown,
  sender: Sender,
  own: ExtensionOwnIdentity,
  keeper: TokenKeeper,
): Promise<AuthReply[AuthRequest['type']]> | undefined {
  if (!isAuthRequest(message) || !fromOwnPage(sender, own)) return undefined;
  return answer(message, keeper);
}
