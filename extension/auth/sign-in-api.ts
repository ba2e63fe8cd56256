/**
 * The server's sign-in routes as the extension uses them (docs/PROTOCOL.md, "Sign-in"):
 * /auth/oidc/start (opened in the browser's sign-in window), /auth/token and /auth/logout. Tokens
 * travel in JSON bodies and the Authorization header only, never in a URL.
 */
import type { SignInUser } from '../messaging/auth-messages.ts';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface TokenAnswer {
  access_token: string;
  token_type: string;
  /** Seconds from now. */
  expires_in: number;
  refresh_token: string;
  user: SignInUser;
}

type TokenOutcome =
  | { ok: true; tokens: TokenAnswer }
  /**
   * `refused`: the server said no for good (a spent, expired or ended refresh token; a bad code),
   * so the sign-in is over. Otherwise it could not be asked (network, 429, 5xx): try again later.
   */
  | { ok: false; refused: boolean; error: string };

export function startUrl(serverUrl: string, params: { redirectUri: string; challenge: string; state: string }): string {
  const query = new URLSearchParams({
    redirect_uri: params.redirectUri,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
    state: params.state,
  });
  return `${serverUrl}/auth/oidc/start?${query}`;
}

/** 4xx but "too many" and "timeout" is the server's last word on that token or code. */
const isRefusal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

function isTokenAnswer(value: unknown): value is TokenAnswer {
  const v = value as Partial<TokenAnswer> | null;
  return (
    typeof v?.access_token === 'string' &&
    typeof v.refresh_token === 'string' &&
    typeof v.expires_in === 'number' &&
    v.expires_in > 0 &&
    typeof v.user?.id === 'string' &&
    typeof v.user.name === 'string'
  );
}

async function tokenRequest(fetchFn: Fetch, serverUrl: string, body: Record<string, string>): Promise<TokenOutcome> {
  let response: Response;
  try {
    response = await fetchFn(`${serverUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    return { ok: false, refused: false, error: error instanceof Error ? error.message : String(error) };
  }
  const answer = (await response.json().catch(() => null)) as unknown;
  if (response.ok && isTokenAnswer(answer)) return { ok: true, tokens: answer };
  const { error, error_description: description } = (answer ?? {}) as { error?: unknown; error_description?: unknown };
  const reason = typeof description === 'string' ? description : typeof error === 'string' ? error : `HTTP ${response.status}`;
  return { ok: false, refused: isRefusal(response.status), error: reason };
}

export interface SignInApi {
  /** Trades a login code and the PKCE verifier of its challenge for tokens. */
  redeem(serverUrl: string, code: string, verifier: string): Promise<TokenOutcome>;
  /** Spends the refresh token for a new pair (rotation). Never call twice with one token. */
  refresh(serverUrl: string, refreshToken: string): Promise<TokenOutcome>;
  /** Ends the sign-in at the server; false when the server could not be told. */
  logout(serverUrl: string, tokens: { access: string | null; refresh: string | null }): Promise<boolean>;
}

export function signInApi(fetchFn: Fetch): SignInApi {
  return {
    redeem: (serverUrl, code, verifier) =>
      tokenRequest(fetchFn, serverUrl, { grant_type: 'authorization_code', code, code_verifier: verifier }),
    refresh: (serverUrl, refreshToken) => tokenRequest(fetchFn, serverUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }),
    async logout(serverUrl, tokens) {
      try {
        const response = await fetchFn(`${serverUrl}/auth/logout`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(tokens.access ? { authorization: `Bearer ${tokens.access}` } : {}),
          },
          // The refresh token too: it ends the sign-in when the access token has expired.
          body: JSON.stringify(tokens.refresh ? { refresh_token: tokens.refresh } : {}),
        });
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}

export type StartCheck = { ok: true } | { ok: false; status: number; error: string };

/**
 * Asks /auth/oidc/start once without following it, so a refusal can be explained in the options
 * page (no sign-in at this server, an extension address IT has not listed) instead of in the
 * sign-in window. The server keeps nothing for a started sign-in (its state travels sealed), so
 * this costs it one request.
 */
export async function checkStart(fetchFn: Fetch, url: string): Promise<StartCheck> {
  let response: Response;
  try {
    response = await fetchFn(url, { redirect: 'manual', cache: 'no-store' });
  } catch (error) {
    return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
  }
  // A redirect to the provider: opaque to a manual fetch (status 0), or a 3xx where it is not.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return { ok: true };
  const answer = (await response.json().catch(() => null)) as { error_description?: unknown } | null;
  const error = typeof answer?.error_description === 'string' ? answer.error_description : `HTTP ${response.status}`;
  return { ok: false, status: response.status, error };
}
