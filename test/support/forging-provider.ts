/**
 * A provider that answers the token request with whatever ID token the test asks for: wrong
 * issuer, audience or nonce, expired, unsigned (`alg: none`), or signed by a key it does not
 * publish. Only for tests of what the server refuses; a real provider (oidc-provider.ts) never
 * sends such tokens. Discovery, JWKS and an authorization endpoint that signs in at once (no
 * login page), all on 127.0.0.1. Tokens are made with jose, here in the test only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { EXTENSION_REDIRECT } from './sign-in-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';
import { freePort } from './test-services.ts';

type Signing = 'published-key' | 'unpublished-key' | 'none';

export interface ForgedToken {
  claims: JWTPayload & Record<string, unknown>;
  signing: Signing;
}

/** How the client must send its secret: the one method the provider offers, and the only one it takes. */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface ForgingProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Makes the next ID tokens: receives the honest claims (with the nonce the server sent). */
  forge: (honest: JWTPayload & Record<string, unknown>) => ForgedToken;
  /** Token requests answered so far. */
  readonly tokenRequests: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

/** The secret the token request carries, if it came by `method` and by nothing else. */
function clientSecretOf(req: IncomingMessage, form: URLSearchParams, method: ClientAuthMethod): string | null {
  const header = req.headers.authorization;
  if (method === 'client_secret_post') return header === undefined ? form.get('client_secret') : null;
  if (form.has('client_secret') || !header?.startsWith('Basic ')) return null;
  const basic = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decodeURIComponent(basic.slice(basic.indexOf(':') + 1));
}

async function startForgingProvider(authMethod: ClientAuthMethod = 'client_secret_post'): Promise<ForgingProvider> {
  const published = await generateKeyPair('RS256', { extractable: true });
  const unpublished = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(published.publicKey)), kid: 'published', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string }>();
  const provider: ForgingProvider = {
    issuer: '',
    clientId: 'forged-client',
    clientSecret: 'forged-client-secret-0123456789-0123456789',
    forge: (honest) => ({ claims: honest, signing: 'published-key' }),
    tokenRequests: 0,
    close: async () => {},
  };
  let requests = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer: provider.issuer,
        authorization_endpoint: `${provider.issuer}/authorize`,
        token_endpoint: `${provider.issuer}/token`,
        jwks_uri: `${provider.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: [authMethod],
      });
    if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] });
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (clientSecretOf(req, form, authMethod) !== provider.clientSecret) return json(401, { error: 'invalid_client' });
      if (!grant) return json(400, { error: 'invalid_grant' });
      requests++;
      const now = Math.floor(Date.now() / 1000);
      const { claims, signing } = provider.forge({
        iss: provider.issuer,
        aud: provider.clientId,
        sub: 'forged-subject',
        name: 'Mallory',
        groups: ['udvalg'],
        nonce: grant.nonce,
        iat: now,
        exp: now + 300,
      });
      const idToken =
        signing === 'none'
          ? new UnsecuredJWT(claims).encode()
          : await new SignJWT(claims)
              .setProtectedHeader({ alg: 'RS256', kid: 'published' })
              .sign(signing === 'published-key' ? published.privateKey : unpublished.privateKey);
      return json(200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    return json(404, { error: 'not found' });
  };

  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  provider.close = () => new Promise<void>((resolve) => http.close(() => resolve()));
  Object.defineProperty(provider, 'tokenRequests', { get: () => requests });
  return provider;
}

/** A Randnoter test server signing users in through a forging provider. */
export async function startForgingSetup(
  authMethod: ClientAuthMethod = 'client_secret_post',
): Promise<{ provider: ForgingProvider; server: TestServer; close(): Promise<void> }> {
  const provider = await startForgingProvider(authMethod);
  const port = await freePort();
  const server = await startTestServer({
    port,
    oidc: {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      groupsClaim: 'groups',
      subjectClaim: 'sub',
      scopes: 'openid profile email',
      publicUrl: `http://127.0.0.1:${port}`,
      redirects: [EXTENSION_REDIRECT],
    },
  });
  return {
    provider,
    server,
    async close() {
      await server.close();
      await provider.close();
    },
  };
}

/** Start, the provider's immediate redirect, the callback: where the server sends the browser at the end. */
export async function signInWithForged(provider: ForgingProvider, forge: ForgingProvider['forge'], start: string): Promise<URL | null> {
  provider.forge = forge;
  let url = start;
  for (let step = 0; step < 3; step++) {
    const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
    if (!location) return null;
    url = new URL(location, url).href;
  }
  return new URL(url);
}
