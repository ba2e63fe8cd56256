/**
 * The background's side of the sign-in: one token keeper (token-keeper.ts) over the browser's
 * storage, answering the extension's own pages (answer-auth.ts) and telling them when who is
 * signed in changes. Started once each time the background starts.
 */
import { browser } from 'wxt/browser';
import { AUTH_CHANGED } from '../messaging/auth-messages.ts';
import { answerAuth } from './answer-auth.ts';
import { signInApi } from './sign-in-api.ts';
import { createTokenKeeper, type TokenKeeper } from './token-keeper.ts';

/** `onChanged`: who is signed in changed (signed in, out, or the sign-in ended). */
export function serveSignIn(onChanged?: () => void): TokenKeeper {
  const keeper = createTokenKeeper({
    durable: browser.storage.local,
    // storage.session: kept in memory, across service-worker restarts, closed to content scripts by default.
    memory: browser.storage.session,
    api: signInApi((input, init) => fetch(input, init)),
    now: () => Date.now(),
    timers: {
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    // No page open is fine: the message then has nobody to reach.
    changed: () => {
      onChanged?.();
      void browser.runtime.sendMessage(AUTH_CHANGED).catch(() => {});
    },
  });
  const own = { id: browser.runtime.id, origin: browser.runtime.getURL('/') };
  browser.runtime.onMessage.addListener((message: unknown, sender) => answerAuth(message, sender, own, keeper));
  return keeper;
}
