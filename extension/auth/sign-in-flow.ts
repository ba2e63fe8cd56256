/**
 * "Log ind med din organisation", run by the page where the user pressed it (options, or "Log ind
 * igen" in a viewer or sidebar): the extension's own PKCE pair and state, the server's
 * /auth/oidc/start opened in the browser's sign-in window (`identity.launchWebAuthFlow`), which
 * the server sends on to the organisation's provider and back to the extension's redirect URL
 * (`identity.getRedirectURL()`: `https://<id>.chromiumapp.org/` in Chrome and Edge,
 * `https://<hash>.extensions.allizom.org/` in Firefox) with a one-time login code. The state
 * must come back unchanged; then the code and verifier go to the background, which trades them
 * for tokens and keeps them (token-keeper.ts). The page never holds the refresh token.
 */
import type { Messages } from '../i18n/messages.ts';
import type { AuthRequest, SignInUser } from '../messaging/auth-messages.ts';
import { newSignInSecrets } from './pkce.ts';
import { checkStart, startUrl } from './sign-in-api.ts';

export interface AuthPlatform {
  /** identity.getRedirectURL(). */
  redirectUrl(): string;
  /** identity.launchWebAuthFlow({ url, interactive: true }): the URL the window was sent to at the end. */
  launch(url: string): Promise<string>;
  ask(request: AuthRequest): Promise<unknown>;
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** Why a sign-in did not happen; each has its sentence in i18n/messages.ts (`signInProblem`). */
type SignInProblem = keyof Messages['signInProblem'];

export type SignInOutcome = { ok: true; user: SignInUser } | { ok: false; problem: SignInProblem; detail: string; redirectUrl: string };

/** The login code from where the window ended, if it ended at our redirect URL with our state. */
export function readRedirect(
  finalUrl: string,
  redirectUrl: string,
  state: string,
): { code: string } | { problem: 'denied' | 'mismatch'; detail: string } {
  let url: URL;
  try {
    url = new URL(finalUrl);
  } catch {
    return { problem: 'mismatch', detail: 'no redirect URL' };
  }
  const expected = new URL(redirectUrl);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) return { problem: 'mismatch', detail: 'another address' };
  if (url.searchParams.get('state') !== state) return { problem: 'mismatch', detail: 'another sign-in’s state' };
  const error = url.searchParams.get('error');
  if (error !== null) return { problem: 'denied', detail: error.slice(0, 64) };
  const code = url.searchParams.get('code');
  return code ? { code } : { problem: 'mismatch', detail: 'no login code' };
}

export async function signInWithOrganisation(serverUrl: string, platform: AuthPlatform): Promise<SignInOutcome> {
  const redirectUrl = platform.redirectUrl();
  const fail = (problem: SignInProblem, detail: string): SignInOutcome => ({ ok: false, problem, detail, redirectUrl });
  const secrets = await newSignInSecrets();
  const url = startUrl(serverUrl, { redirectUri: redirectUrl, challenge: secrets.challenge, state: secrets.state });

  const check = await checkStart(platform.fetch, url);
  if (!check.ok) {
    const problem =
      check.status === 0 ? 'unreachable' : check.status === 404 ? 'not-offered' : check.status === 400 ? 'refused' : 'unavailable';
    return fail(problem, check.error);
  }
  let finalUrl: string;
  try {
    finalUrl = await platform.launch(url);
  } catch (error) {
    return fail('cancelled', error instanceof Error ? error.message : String(error));
  }
  const back = readRedirect(finalUrl, redirectUrl, secrets.state);
  if ('problem' in back) return fail(back.problem, back.detail);

  const reply = (await platform
    .ask({ type: 'rn:auth-sign-in', serverUrl, code: back.code, verifier: secrets.verifier })
    .catch((error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))) as
    | { ok: true; user: SignInUser }
    | { ok: false; error?: unknown }
    | undefined;
  if (reply?.ok === true && typeof reply.user?.name === 'string') return { ok: true, user: reply.user };
  const error = reply?.ok === false ? reply.error : undefined;
  return fail('exchange-failed', typeof error === 'string' ? error : 'no answer');
}

/** The sentence for a sign-in that did not happen. */
export function signInProblemText(t: Messages, outcome: Extract<SignInOutcome, { ok: false }>): string {
  return t.signInProblem[outcome.problem](outcome.detail, outcome.redirectUrl);
}
