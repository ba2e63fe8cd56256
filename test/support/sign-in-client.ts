/**
 * The extension's side of sign-in, as `identity.launchWebAuthFlow` drives it: its own PKCE pair
 * and state, /auth/oidc/start, the provider (oidc-provider.ts), the server's callback, and the
 * redirect URI that the browser would hand back to the extension (read, never fetched).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type ApiAnswer, api } from './api.ts';
import { CookieJar, signInAtProvider } from './oidc-provider.ts';

/** A Chromium extension's redirect URL, as `identity.getRedirectURL()` makes it. */
export const EXTENSION_REDIRECT = 'https://randnoteroidctestextensionid.chromiumapp.org/';

export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  user: { id: string; name: string };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function startUrl(serverUrl: string, params: Record<string, string>): string {
  return `${serverUrl}/auth/oidc/start?${new URLSearchParams(params)}`;
}

export interface ProviderRoundTrip {
  /** Where the server sent the browser after /auth/oidc/start (the provider's authorization URL). */
  authorizationUrl: string;
  /** The server's callback URL with the provider's answer. */
  callbackUrl: string;
  verifier: string;
  state: string;
}

/** Up to the provider sending the browser back to the server's callback (not yet fetched). */
export async function throughProvider(
  serverUrl: string,
  accountId: string,
  { redirectUri = EXTENSION_REDIRECT, jar = new CookieJar() } = {},
): Promise<ProviderRoundTrip> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const start = await fetch(
    startUrl(serverUrl, { redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state }),
    {
      redirect: 'manual',
    },
  );
  const authorizationUrl = start.headers.get('location');
  if (start.status !== 302 || !authorizationUrl) throw new Error(`/auth/oidc/start answered ${start.status}: ${await start.text()}`);
  const callbackUrl = await signInAtProvider(authorizationUrl, accountId, `${serverUrl}/auth/oidc/callback`, jar);
  return { authorizationUrl, callbackUrl, verifier, state };
}

/** Fetches the callback; the redirect URI the server sends the browser to, parsed. */
export async function callback(callbackUrl: string): Promise<{ status: number; location: URL | null; body: string }> {
  const response = await fetch(callbackUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : null, body: await response.text() };
}

export interface SignedIn extends ProviderRoundTrip {
  code: string;
  tokens: TokenAnswer;
}

/** The whole sign-in: provider, callback, login code, tokens. Throws when any step is refused. */
export async function signIn(serverUrl: string, accountId: string, options: { jar?: CookieJar } = {}): Promise<SignedIn> {
  const trip = await throughProvider(serverUrl, accountId, options);
  const back = await callback(trip.callbackUrl);
  const code = back.location?.searchParams.get('code');
  if (back.status !== 302 || !code || back.location?.searchParams.get('state') !== trip.state)
    throw new Error(`the callback answered ${back.status} ${back.location?.href ?? back.body}`);
  const answer = await tokenRequest(serverUrl, { grant_type: 'authorization_code', code, code_verifier: trip.verifier });
  if (answer.status !== 200) throw new Error(`/auth/token answered ${answer.status}: ${answer.text}`);
  return { ...trip, code, tokens: answer.body as TokenAnswer };
}

export function tokenRequest(
  serverUrl: string,
  body: unknown,
): Promise<ApiAnswer<TokenAnswer & { error?: string; error_description?: string }>> {
  return api(serverUrl, null, 'POST', '/auth/token', body);
}
