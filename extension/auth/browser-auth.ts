/**
 * The browser behind the sign-in modules, for the pages: the background on the other end of
 * runtime messaging, the sign-in window (`identity`, through webextension-polyfill), the clock.
 * Tests give those modules fakes instead.
 */
import { browser } from 'wxt/browser';
import { isAuthChanged } from '../messaging/auth-messages.ts';
import type { AskBackground } from './page-access.ts';
import type { AuthPlatform } from './sign-in-flow.ts';

const askBackground: AskBackground = (request) => browser.runtime.sendMessage(request);

export const pageAccessDeps = {
  ask: askBackground,
  now: () => Date.now(),
  timers: {
    setTimeout: (run: () => void, ms: number): unknown => setTimeout(run, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
};

export const browserAuthPlatform: AuthPlatform = {
  redirectUrl: () => browser.identity.getRedirectURL(),
  launch: async (url) => (await browser.identity.launchWebAuthFlow({ url, interactive: true })) ?? '',
  ask: askBackground,
  fetch: (input, init) => fetch(input, init),
};

/** Calls back when the background says who is signed in has changed, until the returned function is called. */
export function watchSignIn(changed: () => void): () => void {
  const listener = (message: unknown) => {
    if (isAuthChanged(message)) changed();
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
