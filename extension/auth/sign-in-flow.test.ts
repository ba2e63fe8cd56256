/**
 * "Log ind med din organisation" as a page runs it, with the browser's parts faked: the server's
 * /auth/oidc/start (fetch), the sign-in window (launchWebAuthFlow) and the background (messaging).
 * The PKCE challenge is checked against Node's own SHA-256.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AuthRequest } from '../messaging/auth-messages.ts';
import { challengeOf, newSignInSecrets } from './pkce.ts';
import { type AuthPlatform, readRedirect, signInWithOrganisation } from './sign-in-flow.ts';

const SERVER = 'https://randnoter.example';
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const ANNE = { id: 'u-anne', name: 'Anne Jensen' };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A platform whose server, provider and background behave; `change` alters one part. */
function platform(change: Partial<AuthPlatform> = {}) {
  const asked: AuthRequest[] = [];
  const launched: string[] = [];
  const base: AuthPlatform = {
    redirectUrl: () => REDIRECT,
    fetch: async () => new Response(null, { status: 302, headers: { location: 'https://idp.example/authorize' } }),
    // The provider and the server's callback, in one step: back to the redirect URL with a code and the state.
    launch: async (url) => {
      launched.push(url);
      const state = new URL(url).searchParams.get('state') ?? '';
      return `${REDIRECT}?code=login-code&state=${encodeURIComponent(state)}`;
    },
    ask: async (request) => {
      asked.push(request);
      return { ok: true, user: ANNE };
    },
  };
  return { platform: { ...base, ...change }, asked, launched };
}

describe('PKCE', () => {
  it('makes a 256-bit verifier and its S256 challenge, and a state, new each time', async () => {
    const first = await newSignInSecrets();
    const second = await newSignInSecrets();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.challenge).toBe(sha256(first.verifier));
    expect(await challengeOf('a verifier of any length, even with spaces')).toBe(sha256('a verifier of any length, even with spaces'));
    expect(first.state).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set([first.verifier, second.verifier, first.state, second.state]).size).toBe(4);
  });
});

describe('signing in with the organisation', () => {
  it('opens /auth/oidc/start with the redirect URL, its own S256 challenge and state, and hands the code and verifier to the background', async () => {
    const { platform: p, asked, launched } = platform();
    await expect(signInWithOrganisation(SERVER, p)).resolves.toEqual({ ok: true, user: ANNE });
    const start = new URL(launched[0] as string);
    expect(start.origin + start.pathname).toBe(`${SERVER}/auth/oidc/start`);
    expect(start.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(start.searchParams.get('code_challenge_method')).toBe('S256');
    const request = asked[0] as Extract<AuthRequest, { type: 'rn:auth-sign-in' }>;
    expect(request).toMatchObject({ type: 'rn:auth-sign-in', serverUrl: SERVER, code: 'login-code' });
    expect(start.searchParams.get('code_challenge')).toBe(sha256(request.verifier));
  });

  it('refuses a redirect with another sign-in’s state, and does not spend its code', async () => {
    const { platform: p, asked } = platform({ launch: async () => `${REDIRECT}?code=someone-elses&state=another-state` });
    await expect(signInWithOrganisation(SERVER, p)).resolves.toMatchObject({ ok: false, problem: 'mismatch' });
    expect(asked).toEqual([]);
  });

  it('says so when the organisation refused, or the window was closed', async () => {
    const denied = platform({
      launch: async (url) => `${REDIRECT}?error=access_denied&state=${new URL(url).searchParams.get('state')}`,
    });
    await expect(signInWithOrganisation(SERVER, denied.platform)).resolves.toMatchObject({ ok: false, problem: 'denied' });
    const closed = platform({ launch: () => Promise.reject(new Error('The user did not approve access.')) });
    await expect(signInWithOrganisation(SERVER, closed.platform)).resolves.toMatchObject({ ok: false, problem: 'cancelled' });
    expect([...denied.asked, ...closed.asked]).toEqual([]);
  });

  it('explains a server that will not start a sign-in before opening any window, with the address IT must list', async () => {
    const refusing = (response: () => Response | Promise<Response>) => platform({ fetch: async () => response() });
    const cases = [
      [() => new Response('{"error":"not found"}', { status: 404 }), 'not-offered'],
      [
        () =>
          new Response(
            JSON.stringify({ error: 'invalid_request', error_description: 'redirect_uri is not one this server may redirect to' }),
            {
              status: 400,
            },
          ),
        'refused',
      ],
      [() => new Response('{}', { status: 503 }), 'unavailable'],
      [() => Promise.reject(new TypeError('Failed to fetch')), 'unreachable'],
    ] as const;
    for (const [response, problem] of cases) {
      const { platform: p, launched } = refusing(response);
      const outcome = await signInWithOrganisation(SERVER, p);
      expect(outcome, problem).toMatchObject({ ok: false, problem, redirectUrl: REDIRECT });
      expect(launched).toEqual([]);
    }
    const { platform: p } = refusing(
      () => new Response(JSON.stringify({ error: 'invalid_request', error_description: 'redirect_uri is not allowed' }), { status: 400 }),
    );
    await expect(signInWithOrganisation(SERVER, p)).resolves.toMatchObject({ detail: 'redirect_uri is not allowed' });
  });

  it('reports a login code the server did not take', async () => {
    const ask = vi.fn(async () => ({ ok: false, error: 'invalid_grant' }));
    const { platform: p } = platform({ ask });
    await expect(signInWithOrganisation(SERVER, p)).resolves.toMatchObject({
      ok: false,
      problem: 'exchange-failed',
      detail: 'invalid_grant',
    });
  });

  it('reads only a redirect to its own address', () => {
    expect(readRedirect(`${REDIRECT}?code=c&state=s`, REDIRECT, 's')).toEqual({ code: 'c' });
    expect(readRedirect(`https://evil.example/?code=c&state=s`, REDIRECT, 's')).toMatchObject({ problem: 'mismatch' });
    expect(readRedirect(`${REDIRECT}other?code=c&state=s`, REDIRECT, 's')).toMatchObject({ problem: 'mismatch' });
    expect(readRedirect(`${REDIRECT}?state=s`, REDIRECT, 's')).toMatchObject({ problem: 'mismatch' });
    expect(readRedirect('', REDIRECT, 's')).toMatchObject({ problem: 'mismatch' });
  });
});
