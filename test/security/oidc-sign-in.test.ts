/**
 * What sign-in through OpenID Connect refuses (docs/SECURITY.md, "Sign-in"): redirect URIs outside
 * the allow-list, login codes replayed, expired or with the wrong PKCE verifier, callbacks whose
 * state the server did not seal, ID tokens with the wrong issuer, audience or nonce, unsigned,
 * expired or signed by an unknown key, and forged, ended or expired access tokens; and what a
 * stranger can cost the sign-in endpoints. The ID token cases use a provider that forges tokens
 * on demand (forging-provider.ts); the rest the real provider (oidc-provider.ts).
 */

import { randomBytes } from 'node:crypto';
import { setUserDisabled } from '@randnoter/server/auth/accounts';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { type ForgedToken, signInWithForged, startForgingSetup } from '../support/forging-provider.ts';
import { CookieJar } from '../support/oidc-provider.ts';
import { callback, EXTENSION_REDIRECT, pkcePair, signIn, startUrl, throughProvider, tokenRequest } from '../support/sign-in-client.ts';
import { type SignInSetup, startSignInServer } from '../support/sign-in-server.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { closeCodeOf } from '../support/ws-socket.ts';
import { authMessage } from '../support/yjs-frames.ts';

const { challenge } = pkcePair();
const goodStart = { redirect_uri: EXTENSION_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'client-state' };

/** GET without following redirects: the status, where it would send the browser, and the body. */
async function visit(
  url: string,
): Promise<{ status: number; location: URL | null; body: { error?: string; error_description?: string } | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, location: location ? new URL(location, url) : null, body };
}

/** Rows in the tables a sign-in writes to. */
async function signInRows(database: string): Promise<Record<string, number>> {
  const opened = openTestDatabase(database);
  try {
    const counts: Record<string, number> = {};
    for (const table of ['users', 'oidc_identities', 'login_codes', 'refresh_families', 'access_tokens', 'memberships'] as const) {
      const row = await opened.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  } finally {
    await opened.close();
  }
}

describe('sign-in refusals', () => {
  let setup: SignInSetup | undefined;
  let forging: Awaited<ReturnType<typeof startForgingSetup>> | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
    await forging?.close();
    forging = undefined;
  });

  it('answers a redirect URI outside the allow-list, or any malformed start, with 400 and never a redirect', async () => {
    setup = await startSignInServer();
    const { server } = setup;
    const control = await visit(startUrl(server.url, goodStart));
    expect(control.status).toBe(302);
    expect(control.location?.origin).toBe(setup.provider.issuer);

    const outside = [
      'https://evil.example/',
      `${EXTENSION_REDIRECT}x`,
      `${EXTENSION_REDIRECT}?next=https://evil.example/`,
      EXTENSION_REDIRECT.toUpperCase(),
      EXTENSION_REDIRECT.replace('https:', 'http:'),
      'https://randnoteroidctestextensionid.chromiumapp.org.evil.example/',
      'https://randnoteroidctestextensionid.chromiumapp.org',
      '//evil.example/',
      'javascript:alert(1)',
      '',
    ];
    for (const redirect of outside) {
      const answer = await visit(startUrl(server.url, { ...goodStart, redirect_uri: redirect }));
      expect(answer.status, redirect).toBe(400);
      expect(answer.location, redirect).toBeNull();
      expect(answer.body?.error).toBe('invalid_request');
    }
    const malformed: Array<Record<string, string>> = [
      { ...goodStart, code_challenge_method: 'plain' },
      { ...goodStart, code_challenge: 'short' },
      { ...goodStart, state: '' },
      { ...goodStart, state: 'x'.repeat(257) },
      { redirect_uri: EXTENSION_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' },
    ];
    for (const params of malformed) {
      const answer = await visit(startUrl(server.url, params));
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.location).toBeNull();
    }
    // The allow-listed URI and another one, as two values of one parameter.
    const twice = await visit(`${startUrl(server.url, goodStart)}&redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(twice.status).toBe(400);
    expect(twice.location).toBeNull();
  });

  it('accepts a login code once, within 60 seconds, and only with the PKCE verifier of its challenge', async () => {
    let now = Date.now();
    setup = await startSignInServer({ clock: () => new Date(now) });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const codeOf = async () => {
      const trip = await throughProvider(server.url, 'anne', { jar: new CookieJar() });
      const back = await callback(trip.callbackUrl);
      return { code: back.location?.searchParams.get('code') as string, verifier: trip.verifier };
    };

    // Replayed.
    const once = await codeOf();
    const grant = { grant_type: 'authorization_code', code: once.code, code_verifier: once.verifier };
    expect((await tokenRequest(server.url, grant)).status).toBe(200);
    const replay = await tokenRequest(server.url, grant);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'unknown, used or expired login code' });

    // The wrong verifier: refused, and the code is spent.
    const wrong = await codeOf();
    const other = pkcePair().verifier;
    const refused = await tokenRequest(server.url, { grant_type: 'authorization_code', code: wrong.code, code_verifier: other });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect(
      (await tokenRequest(server.url, { grant_type: 'authorization_code', code: wrong.code, code_verifier: wrong.verifier })).status,
    ).toBe(400);

    // Too late.
    const late = await codeOf();
    now += 61_000;
    expect(
      (await tokenRequest(server.url, { grant_type: 'authorization_code', code: late.code, code_verifier: late.verifier })).status,
    ).toBe(400);
    // Forged codes of every shape.
    for (const code of [randomBytes(32).toString('base64url'), 'x', `${once.code}x`, "' or 1=1 --"])
      expect((await tokenRequest(server.url, { grant_type: 'authorization_code', code, code_verifier: once.verifier })).status).toBe(400);
    expect((await signInRows(server.database)).refresh_families).toBe(1);
  });

  it('refuses a callback whose state this server did not seal, that has expired, or that belongs to another sign-in', async () => {
    let now = Date.now();
    setup = await startSignInServer({ clock: () => new Date(now) });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const a = await throughProvider(server.url, 'anne', { jar: new CookieJar() });
    const b = await throughProvider(server.url, 'anne', { jar: new CookieJar() });
    const withState = (url: string, state: string | null) => {
      const u = new URL(url);
      if (state === null) u.searchParams.delete('state');
      else u.searchParams.set('state', state);
      return u.href;
    };
    const stateOf = (url: string) => new URL(url).searchParams.get('state') as string;
    const altered = `${stateOf(a.callbackUrl).slice(0, -3)}AAA`;
    for (const state of [null, '', 'made-up', altered, randomBytes(600).toString('base64url')]) {
      const answer = await visit(withState(a.callbackUrl, state));
      expect(answer.status, String(state)).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.body?.error_description).toBe('unknown or expired sign-in: start again');
    }
    // A's code with B's state: B's verifier and nonce do not fit A's code, the provider refuses.
    const swapped = await visit(withState(a.callbackUrl, stateOf(b.callbackUrl)));
    expect(swapped.status).toBe(302);
    expect(swapped.location?.searchParams.get('error')).toBe('access_denied');
    expect(swapped.location?.searchParams.has('code')).toBe(false);
    // B's own callback, after the pending sign-in has expired (10 minutes).
    now += 601_000;
    const expired = await visit(b.callbackUrl);
    expect(expired.status).toBe(400);
    expect(expired.location).toBeNull();
    expect((await signInRows(server.database)).login_codes).toBe(0);
  });

  it('refuses ID tokens with the wrong issuer, audience or nonce, unsigned, expired or signed by an unknown key: no code, no user', async () => {
    forging = await startForgingSetup();
    const { server, provider } = forging;
    const start = startUrl(server.url, goodStart);
    await server.addGroup('udvalg');
    // The honest token is accepted: the refusals below are the forgeries' doing.
    const honest = await signInWithForged(provider, (claims) => ({ claims, signing: 'published-key' }), start);
    expect(honest?.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = await signInRows(server.database);
    expect(before.users).toBe(1);

    const now = Math.floor(Date.now() / 1000);
    const forgeries: Record<string, (claims: ForgedToken['claims']) => ForgedToken> = {
      'wrong issuer': (claims) => ({
        claims: { ...claims, iss: 'https://login.microsoftonline.com/another-tenant/v2.0' },
        signing: 'published-key',
      }),
      'wrong audience': (claims) => ({ claims: { ...claims, aud: 'another-client' }, signing: 'published-key' }),
      'audience of several, ours among them, without azp': (claims) => ({
        claims: { ...claims, aud: [provider.clientId, 'another-client'] },
        signing: 'published-key',
      }),
      'wrong nonce': (claims) => ({ claims: { ...claims, nonce: 'a-nonce-from-another-sign-in' }, signing: 'published-key' }),
      'no nonce': (claims) => ({ claims: { ...claims, nonce: undefined }, signing: 'published-key' }),
      'alg none': (claims) => ({ claims, signing: 'none' }),
      expired: (claims) => ({ claims: { ...claims, iat: now - 3600, exp: now - 1800 }, signing: 'published-key' }),
      'not valid yet': (claims) => ({ claims: { ...claims, nbf: now + 3600, exp: now + 7200 }, signing: 'published-key' }),
      'signed by a key the provider does not publish': (claims) => ({ claims, signing: 'unpublished-key' }),
    };
    for (const [name, forge] of Object.entries(forgeries)) {
      const requests = provider.tokenRequests;
      const back = await signInWithForged(provider, (claims) => forge({ ...claims, sub: `mallory-${name}` }), start);
      expect(provider.tokenRequests, name).toBe(requests + 1); // the forged token was sent and looked at
      expect(back?.origin, name).toBe('https://randnoteroidctestextensionid.chromiumapp.org');
      expect(back?.searchParams.get('error'), name).toBe('access_denied');
      expect(back?.searchParams.has('code'), name).toBe(false);
      expect(back?.searchParams.get('state')).toBe('client-state');
    }
    expect(await signInRows(server.database)).toEqual(before);
  });

  it('answers forged, ended and expired access tokens with 401 over HTTP and 4401 on WebSocket', async () => {
    let now = Date.now();
    setup = await startSignInServer({ clock: () => new Date(now) });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const anne = await signIn(server.url, 'anne');
    const refused = async (token: string, what: string) => {
      expect((await api(server.url, token, 'GET', '/api/me')).status, what).toBe(401);
      expect((await api(server.url, token, 'GET', '/api/packets')).status, what).toBe(401);
      expect(await closeCodeOf(`${server.wsUrl}/notes/p1?token=${encodeURIComponent(token)}`), what).toBe(CloseCode.unauthorized);
      expect(await closeCodeOf(`${server.wsUrl}/notes/p1`, authMessage(token)), what).toBe(CloseCode.unauthorized);
    };
    expect((await api(server.url, anne.tokens.access_token, 'GET', '/api/me')).status).toBe(200);

    // Forged: random, and with the real sign-in's family id but another secret.
    const family = anne.tokens.access_token.slice(4, 26);
    await refused(`rna_${randomBytes(48).toString('base64url').slice(0, 65)}`, 'random');
    await refused(`rna_${family}${randomBytes(32).toString('base64url')}`, 'a real sign-in, a made-up secret');
    await refused(anne.tokens.refresh_token, 'the refresh token as an access token');
    await refused(`${anne.tokens.access_token.slice(0, -1)}${anne.tokens.access_token.endsWith('A') ? 'B' : 'A'}`, 'one character changed');
    expect((await api(server.url, anne.tokens.access_token, 'GET', '/api/me')).status).toBe(200);

    // Expired: 10 minutes later. The refresh token still gets a new one.
    now += 601_000;
    await refused(anne.tokens.access_token, 'expired');
    const refreshed = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: anne.tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await api(server.url, refreshed.body.access_token, 'GET', '/api/me')).status).toBe(200);

    // Ended: logged out.
    expect((await api(server.url, refreshed.body.access_token, 'POST', '/auth/logout')).status).toBe(204);
    await refused(refreshed.body.access_token, 'logged out');

    // A disabled user: their tokens, their refresh and their next sign-in are refused.
    const again = await signIn(server.url, 'anne', { jar: new CookieJar() });
    await setUserDisabled(server.db, again.tokens.user.id, new Date().toISOString());
    await refused(again.tokens.access_token, 'user disabled');
    expect((await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: again.tokens.refresh_token })).status).toBe(400);
    const trip = await throughProvider(server.url, 'anne', { jar: new CookieJar() });
    const back = await callback(trip.callbackUrl);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
    expect(back.location?.searchParams.has('code')).toBe(false);
  });

  it('lets one user hold a bounded number of sign-ins: a new one ends the oldest', async () => {
    setup = await startSignInServer({ limits: { oidcMaxSessionsPerUser: 2 } });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await signIn(server.url, 'anne', { jar: new CookieJar() }));
    const [oldest, ...kept] = sessions;
    expect((await api(server.url, oldest?.tokens.access_token ?? '', 'GET', '/api/me')).status).toBe(401);
    expect((await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: oldest?.tokens.refresh_token })).status).toBe(400);
    for (const session of kept) expect((await api(server.url, session.tokens.access_token, 'GET', '/api/me')).status).toBe(200);
    expect((await signInRows(server.database)).refresh_families).toBe(2);
  });
});

describe('what a stranger can cost the sign-in endpoints', () => {
  let setup: SignInSetup | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
  });

  it('stores nothing for sign-ins begun and never finished', async () => {
    setup = await startSignInServer({ limits: { signInBurst: 500 } });
    const { server } = setup;
    const before = await signInRows(server.database);
    for (let i = 0; i < 300; i++) expect((await visit(startUrl(server.url, { ...goodStart, state: `s${i}` }))).status).toBe(302);
    expect(await signInRows(server.database)).toEqual(before);
  });

  it('limits each address’s requests (429 with Retry-After), body sizes, and answers bad bodies with 400', async () => {
    setup = await startSignInServer({ limits: { signInBurst: 8, signInRequestsPerMinute: 1 } });
    const { server } = setup;
    const statuses: number[] = [];
    const big = await api(server.url, null, 'POST', '/auth/token', { grant_type: 'refresh_token', refresh_token: 'x'.repeat(5000) });
    statuses.push(big.status);
    expect(big.status).toBe(413);
    const broken = await api(server.url, null, 'POST', '/auth/token', '{"grant_type": "refresh_token", ');
    statuses.push(broken.status);
    expect(broken.body).toEqual({ error: 'invalid_request', error_description: 'the request body is not valid JSON' });
    const unknown = await api(server.url, null, 'POST', '/auth/token', { grant_type: 'password', username: 'a', password: 'b' });
    statuses.push(unknown.status);
    expect(unknown.body.error).toBe('unsupported_grant_type');
    const form = await fetch(`${server.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=rnr_x',
    });
    statuses.push(form.status);
    expect(form.status).toBe(400);
    const noToken = await api(server.url, null, 'POST', '/auth/logout', {});
    statuses.push(noToken.status);
    expect(noToken.body.error).toBe('invalid_request');
    statuses.push((await visit(`${server.url}/auth/oidc/callback?state=x&code=y`)).status);
    statuses.push((await visit(startUrl(server.url, goodStart))).status);
    statuses.push((await api(server.url, null, 'POST', '/auth/token', { grant_type: 'refresh_token', refresh_token: 'rnr_x' })).status);
    expect(statuses).toEqual([413, 400, 400, 400, 400, 400, 302, 400]);
    // The ninth request from this address, whatever the endpoint.
    for (const request of [
      () => visit(startUrl(server.url, goodStart)),
      () => api(server.url, null, 'POST', '/auth/token', { grant_type: 'refresh_token', refresh_token: 'rnr_x' }),
      () => api(server.url, null, 'POST', '/auth/logout', { refresh_token: 'rnr_x' }),
    ]) {
      const response = await request();
      expect(response.status).toBe(429);
    }
    const limited = await fetch(`${server.url}/auth/token`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'too many sign-in requests from this address',
    });
    // The rest of the server is not affected.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
