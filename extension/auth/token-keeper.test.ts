/**
 * The background's keeper of the sign-in tokens, against a fake of the server's /auth/token and
 * /auth/logout that rotates refresh tokens and ends a sign-in whose refresh token comes twice, as
 * the real one does (docs/PROTOCOL.md, "Sign-in"). Time is vitest's fake clock; storage is WXT's
 * fake browser storage.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AccessReply, SignInStatus } from '../messaging/auth-messages.ts';
import { signInApi } from './sign-in-api.ts';
import { createTokenKeeper, type TokenKeeper } from './token-keeper.ts';

const SERVER = 'https://randnoter.example';
const LIFE_S = 600;
const ANNE = { id: 'u-anne', name: 'Anne Jensen' };

interface Family {
  current: string;
  ended: boolean;
  serial: number;
}

/** The server's side of sign-in, reduced to what the extension can observe. */
function fakeServer() {
  const families = new Map<string, Family>();
  const seen = { refreshes: 0, reused: 0, logouts: [] as string[], unanswered: 0 };
  const control = { reachable: true, gate: null as Promise<void> | null };
  let nextFamily = 0;

  const issue = (familyId: string, family: Family) => {
    family.serial++;
    family.current = `rnr_${familyId}_${family.serial}`;
    return {
      access_token: `rna_${familyId}_${family.serial}`,
      token_type: 'Bearer',
      expires_in: LIFE_S,
      refresh_token: family.current,
      user: ANNE,
    };
  };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const familyOf = (token: string) => /^rn[ar]_(f\d+)_/.exec(token)?.[1] ?? '';

  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    if (control.gate) await control.gate;
    if (!control.reachable) {
      seen.unanswered++;
      throw new TypeError('Failed to fetch');
    }
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, string>;
    const path = new URL(url).pathname;
    if (path === '/auth/logout') {
      const id = familyOf(body.refresh_token ?? '');
      const family = families.get(id);
      if (family) family.ended = true;
      seen.logouts.push(id);
      return new Response(null, { status: 204 });
    }
    if (body.grant_type === 'authorization_code') {
      if (body.code !== 'good-code' || body.code_verifier !== 'the-verifier') return json(400, { error: 'invalid_grant' });
      const id = `f${nextFamily++}`;
      const family = { current: '', ended: false, serial: 0 };
      families.set(id, family);
      return json(200, issue(id, family));
    }
    seen.refreshes++;
    const id = familyOf(body.refresh_token ?? '');
    const family = families.get(id);
    if (!family || family.ended) return json(400, { error: 'invalid_grant', error_description: 'the sign-in has ended' });
    if (body.refresh_token !== family.current) {
      // Someone else holds this family's tokens: the real server ends the sign-in.
      seen.reused++;
      family.ended = true;
      return json(400, { error: 'invalid_grant', error_description: 'refresh token reused' });
    }
    return json(200, issue(id, family));
  };
  return { fetch, families, seen, control };
}

describe('the token keeper', () => {
  let server: ReturnType<typeof fakeServer>;
  let changes: SignInStatus[];
  const keepers: TokenKeeper[] = [];

  const newKeeper = () => {
    const keeper = createTokenKeeper({
      durable: fakeBrowser.storage.local,
      memory: fakeBrowser.storage.session,
      api: signInApi(server.fetch),
      now: () => Date.now(),
      timers: { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
      changed: (status) => changes.push(status),
    });
    keepers.push(keeper);
    return keeper;
  };
  const tokenOf = (reply: AccessReply) => (reply.kind === 'token' ? reply.token : `(${reply.kind})`);
  const storedRefreshToken = async () =>
    ((await fakeBrowser.storage.local.get('signIn')).signIn as { refreshToken: string | null } | undefined)?.refreshToken;

  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') });
    server = fakeServer();
    changes = [];
  });
  afterEach(() => {
    for (const keeper of keepers.splice(0)) keeper.destroy();
    vi.useRealTimers();
  });

  it('signs in with a login code and its verifier, and hands the access token to pages of that server only', async () => {
    const keeper = newKeeper();
    await expect(keeper.signIn(SERVER, 'good-code', 'a-wrong-verifier')).resolves.toEqual({ ok: false, error: 'invalid_grant' });
    await expect(keeper.status()).resolves.toEqual({ state: 'signed-out' });

    await expect(keeper.signIn(SERVER, 'good-code', 'the-verifier')).resolves.toEqual({ ok: true, user: ANNE });
    expect(changes).toEqual([{ state: 'active', serverUrl: SERVER, user: ANNE }]);
    await expect(keeper.accessToken(SERVER)).resolves.toMatchObject({ kind: 'token', token: 'rna_f0_1', user: ANNE });
    await expect(keeper.accessToken('https://another.example')).resolves.toEqual({ kind: 'signed-out' });
    // The access token lives in memory only (storage.session); the refresh token must outlive the browser session.
    expect(await storedRefreshToken()).toBe('rnr_f0_1');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('rna_');
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).toContain('rna_f0_1');
  });

  it('refreshes once 80 % into the access token’s life, before it expires, and hands out the new token', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    await vi.advanceTimersByTimeAsync(LIFE_S * 800 - 1000);
    expect(server.seen.refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.seen.refreshes).toBe(1);
    expect(tokenOf(await keeper.accessToken(SERVER))).toBe('rna_f0_2');
    expect(await storedRefreshToken()).toBe('rnr_f0_2');
    // And again for the next token: never with a spent refresh token.
    await vi.advanceTimersByTimeAsync(LIFE_S * 800);
    expect(server.seen).toMatchObject({ refreshes: 2, reused: 0 });
    expect(changes).toHaveLength(1); // a routine refresh changes nobody's page
  });

  it('refreshes once however many pages ask at once while the token is due: the server never sees a refresh token twice', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    let open = () => {};
    server.control.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // The clock moves past the refresh point without the timer having run (a service worker asleep).
    vi.setSystemTime(Date.now() + LIFE_S * 900);
    const asks = Array.from({ length: 5 }, () => keeper.accessToken(SERVER));
    await vi.advanceTimersByTimeAsync(0); // the timer, due now, asks too
    open();
    server.control.gate = null;
    const replies = await Promise.all(asks);
    expect(replies.map(tokenOf)).toEqual(Array(5).fill('rna_f0_2'));
    expect(server.seen).toMatchObject({ refreshes: 1, reused: 0 });
    expect(server.families.get('f0')?.ended).toBe(false);
  });

  it('replaces a token the server refused once, however many pages report it, and not again for a late report', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    const reports = await Promise.all([1, 2, 3].map(() => keeper.accessToken(SERVER, 'rna_f0_1')));
    expect(reports.map(tokenOf)).toEqual(['rna_f0_2', 'rna_f0_2', 'rna_f0_2']);
    expect(tokenOf(await keeper.accessToken(SERVER, 'rna_f0_1'))).toBe('rna_f0_2');
    expect(server.seen).toMatchObject({ refreshes: 1, reused: 0 });
  });

  it('ends the sign-in when the server refuses the refresh token: forgets the tokens, tells the pages, and stops refreshing', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    (server.families.get('f0') as Family).ended = true; // e.g. the sign-in's 30 days are over
    await vi.advanceTimersByTimeAsync(LIFE_S * 800);
    expect(server.seen.refreshes).toBe(1);
    const ended = { state: 'ended', serverUrl: SERVER, user: ANNE };
    expect(changes.at(-1)).toEqual(ended);
    await expect(keeper.status()).resolves.toEqual(ended);
    await expect(keeper.accessToken(SERVER)).resolves.toEqual({ kind: 'ended', user: ANNE });
    expect(await storedRefreshToken()).toBeNull();
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(server.seen.refreshes).toBe(1);

    // Signing in again makes it active.
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    expect(tokenOf(await keeper.accessToken(SERVER))).toBe('rna_f1_1');
  });

  it('keeps the sign-in while the server cannot be reached, hands out the token while it lasts, and retries until it can refresh', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    server.control.reachable = false;
    await vi.advanceTimersByTimeAsync(LIFE_S * 800);
    expect(tokenOf(await keeper.accessToken(SERVER))).toBe('rna_f0_1');
    await vi.advanceTimersByTimeAsync(LIFE_S * 200); // past expiry, still unreachable
    await expect(keeper.accessToken(SERVER)).resolves.toEqual({ kind: 'unreachable', user: ANNE });
    await expect(keeper.status()).resolves.toMatchObject({ state: 'active' });
    // The first attempt and retries 15 s, 30 s, 60 s, … apart within the remaining two minutes.
    expect(server.seen.unanswered).toBeGreaterThanOrEqual(3);
    expect(server.seen.unanswered).toBeLessThanOrEqual(5);

    server.control.reachable = true;
    await vi.advanceTimersByTimeAsync(5 * 60_000); // the longest retry interval
    expect(tokenOf(await keeper.accessToken(SERVER))).toBe('rna_f0_2');
    expect(server.seen.reused).toBe(0);
    expect(changes).toHaveLength(1);
  });

  it('carries on from storage in a restarted background, with the rotated refresh token', async () => {
    const first = newKeeper();
    await first.signIn(SERVER, 'good-code', 'the-verifier');
    await vi.advanceTimersByTimeAsync(LIFE_S * 800); // refreshed once: rnr_f0_2 is current
    first.destroy();

    const second = newKeeper();
    expect(tokenOf(await second.accessToken(SERVER))).toBe('rna_f0_2');
    expect(server.seen.refreshes).toBe(1);
    await vi.advanceTimersByTimeAsync(LIFE_S * 800);
    expect(tokenOf(await second.accessToken(SERVER))).toBe('rna_f0_3');
    expect(server.seen.reused).toBe(0);

    // A browser restart empties storage.session: the first page's question refreshes.
    second.destroy();
    await fakeBrowser.storage.session.clear();
    const third = newKeeper();
    expect(tokenOf(await third.accessToken(SERVER))).toBe('rna_f0_4');
    expect(server.seen).toMatchObject({ refreshes: 3, reused: 0 });
  });

  it('signs out: forgets the tokens, tells the pages, and ends the sign-in at the server', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    await expect(keeper.signOut()).resolves.toEqual({ state: 'signed-out' });
    expect(server.seen.logouts).toEqual(['f0']);
    expect(server.families.get('f0')?.ended).toBe(true);
    expect(changes.at(-1)).toEqual({ state: 'signed-out' });
    await expect(keeper.accessToken(SERVER)).resolves.toEqual({ kind: 'signed-out' });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('forgets the tokens on sign-out also when the server cannot be told', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    server.control.reachable = false;
    await expect(keeper.signOut()).resolves.toEqual({ state: 'signed-out' });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    await vi.advanceTimersByTimeAsync(LIFE_S * 1000);
    expect(server.seen.refreshes).toBe(0);
  });

  it('ends the sign-in held before when the user signs in again', async () => {
    const keeper = newKeeper();
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    await keeper.signIn(SERVER, 'good-code', 'the-verifier');
    await vi.waitFor(() => expect(server.seen.logouts).toEqual(['f0']));
    expect(tokenOf(await keeper.accessToken(SERVER))).toBe('rna_f1_1');
    expect(server.families.get('f1')?.ended).toBe(false);
  });
});
