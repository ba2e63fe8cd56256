/**
 * A real OpenID Connect provider for the tests: `oidc-provider` (OpenID-certified), in this
 * process on 127.0.0.1, with accounts the test changes as it goes (name, e-mail, groups), and its
 * development login and consent pages, which `signInAtProvider` fills in over plain HTTP with a
 * cookie jar, as a browser would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

interface TestAccount {
  name: string;
  email?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by id (the `sub`); change them between sign-ins. */
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export interface TestProviderOptions {
  /** The Randnoter server's callback URL(s), registered for the client. */
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}

export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const http: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'randnoter-test';
  const clientSecret = options.clientSecret ?? 'test-client-secret-that-is-long-enough-0123456789';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const accounts = new Map<string, TestAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // The secret in the Authorization header: oidc-provider's default (the forging provider takes it in the body).
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] as never },
    cookies: { keys: ['test cookie key, not a secret'] },
    // Claims go into the ID token (as Entra ID puts them), not only into userinfo.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['name', 'groups'], email: ['email'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
    },
  });
  handle = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

/** Cookies of one host, as a browser keeps them (paths ignored: the provider's names are unique). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (gone) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(eq + 1).trim());
    }
    return response;
  }
}

/**
 * Follows the provider's redirects from an authorization URL, signing in as `accountId` and
 * consenting on the development pages when they come, until the provider sends the browser to a
 * URL that starts with `returnTo`; returns that URL (not fetched). Bounded: at most 12 steps.
 */
export async function signInAtProvider(
  authorizationUrl: string,
  accountId: string,
  returnTo: string,
  jar = new CookieJar(),
): Promise<string> {
  let url = authorizationUrl;
  for (let step = 0; step < 12; step++) {
    const response = await jar.fetch(url);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url).href;
      if (next.startsWith(returnTo)) return next;
      url = next;
      continue;
    }
    const page = await response.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const action = /<form[^>]* action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !prompt || !action) throw new Error(`the provider answered ${response.status}: ${page.slice(0, 300)}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: accountId, password: 'any' } : {}) });
    const submitted = await jar.fetch(new URL(action.replaceAll('&amp;', '&'), url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const after = submitted.headers.get('location');
    if (!after) throw new Error(`the provider did not accept the ${prompt} form: ${submitted.status}`);
    url = new URL(after, url).href;
    if (url.startsWith(returnTo)) return url;
  }
  throw new Error('the provider did not send the browser back within 12 steps');
}
