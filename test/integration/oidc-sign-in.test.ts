/**
 * Sign-in through the organisation's OpenID Connect provider, the whole way over HTTP against a
 * real provider (oidc-provider on loopback): the extension's start, the provider's login and
 * consent pages, the callback, the login code, tokens that work wherever tokens work, refresh
 * with rotation, logout, and group memberships that follow the provider at every sign-in.
 */
import { revoke } from '@randnoter/server/auth/accounts';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { signInWithForged, startForgingSetup } from '../support/forging-provider.ts';
import { CookieJar } from '../support/oidc-provider.ts';
import { callback, EXTENSION_REDIRECT, pkcePair, signIn, startUrl, throughProvider, tokenRequest } from '../support/sign-in-client.ts';
import { type SignInSetup, startSignInServer } from '../support/sign-in-server.ts';
import { runAdmin } from '../support/spawned-server.ts';
import { databaseArgs } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { closeCodeOf } from '../support/ws-socket.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';
import { authMessage } from '../support/yjs-frames.ts';

type Me = { id: string; name: string; email?: string; groups: Array<{ id: string; name: string }> };

const ACCESS_SHAPE = /^rna_[A-Za-z0-9_-]{65}$/;
const REFRESH_SHAPE = /^rnr_[A-Za-z0-9_-]{65}$/;

/** Resolves with the code the server closes the client's socket with. */
function closeOf(client: Client): Promise<number> {
  return new Promise((resolve) => client.provider.on('connection-close', (event) => resolve(event?.code ?? 0)));
}

describe('sign-in through OpenID Connect', () => {
  let setup: SignInSetup | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await setup?.close();
    setup = undefined;
  });

  it('signs a user in at the provider and gives the extension tokens that work over HTTP and WebSocket', async () => {
    setup = await startSignInServer();
    const { server, provider } = setup;
    provider.accounts.set('anne-at-idp', { name: 'Anne Jensen', email: 'anne@kommune.dk', groups: ['udvalg', 'f4a1-guid', 'unknown'] });
    await server.addGroup('udvalg', 'Socialudvalget');
    // Mapped on the command line: the claim value is not the group's id.
    const mapped = await runAdmin([
      'group',
      'add',
      'partigruppe',
      '--name',
      'Partigruppen',
      '--oidc-group',
      'f4a1-guid',
      ...databaseArgs(server.database),
    ]);
    expect(mapped.stdout).toContain('"f4a1-guid"');
    await server.addGroup('f4a1-guid-not-mapped'); // a group whose id merely resembles a claim value

    const trip = await throughProvider(server.url, 'anne-at-idp');
    expect(new URL(trip.authorizationUrl).origin).toBe(provider.issuer);
    const back = await callback(trip.callbackUrl);
    expect(back.status).toBe(302);
    expect(back.location?.origin + (back.location?.pathname ?? '')).toBe('https://randnoteroidctestextensionid.chromiumapp.org/');
    expect(back.location?.searchParams.get('state')).toBe(trip.state);
    const code = back.location?.searchParams.get('code') as string;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const answer = await tokenRequest(server.url, { grant_type: 'authorization_code', code, code_verifier: trip.verifier });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const tokens = answer.body;
    expect(tokens).toEqual({
      access_token: expect.stringMatching(ACCESS_SHAPE),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.stringMatching(REFRESH_SHAPE),
      user: { id: expect.any(String), name: 'Anne Jensen' },
    });

    const me = await api<Me>(server.url, tokens.access_token, 'GET', '/api/me');
    expect(me.body).toEqual({
      id: tokens.user.id,
      name: 'Anne Jensen',
      email: 'anne@kommune.dk',
      nameFromSignIn: true,
      groups: [
        // A sign-in makes plain members without closed access (docs/CLOSED-ITEMS.md).
        { id: 'partigruppe', name: 'Partigruppen', role: 'member', closedAccess: false },
        { id: 'udvalg', name: 'Socialudvalget', role: 'member', closedAccess: false },
      ],
    });
    // The access token opens rooms, in the URL and in the auth message.
    clients.push(await connectSynced(server.wsUrl, 'shared/udvalg/p1', tokens.access_token));
    clients.push(await connectSynced(server.wsUrl, 'notes/p1', tokens.access_token));
    expect(await closeCodeOf(`${server.wsUrl}/notes/p1`, authMessage(tokens.access_token))).toBe(1000);
    expect(await closeCodeOf(`${server.wsUrl}/shared/f4a1-guid-not-mapped/p1?token=${tokens.access_token}`)).toBe(CloseCode.notFound);

    // The same person again (the provider remembers them: no login page): the same user, renamed.
    provider.accounts.set('anne-at-idp', { name: 'Anne B. Jensen', email: 'abj@kommune.dk', groups: ['udvalg', 'f4a1-guid'] });
    const again = await signIn(server.url, 'anne-at-idp');
    expect(again.tokens.user).toEqual({ id: tokens.user.id, name: 'Anne B. Jensen' });
    expect((await api<Me>(server.url, tokens.access_token, 'GET', '/api/me')).body).toMatchObject({
      name: 'Anne B. Jensen',
      email: 'abj@kommune.dk',
    });
    // The organisation names her: she cannot rename herself here, the next sign-in would undo it.
    const rename = await api(server.url, tokens.access_token, 'PUT', '/api/me/name', { name: 'Anne' });
    expect(rename.status).toBe(409);
    expect(rename.body).toEqual({ error: "your name comes from your organisation's sign-in and is changed there" });
    // Another account at the provider is another user.
    provider.accounts.set('bo-at-idp', { name: 'Bo Hansen' });
    const bo = await signIn(server.url, 'bo-at-idp', { jar: new CookieJar() });
    expect(bo.tokens.user.id).not.toBe(tokens.user.id);
    expect((await api<Me>(server.url, bo.tokens.access_token, 'GET', '/api/me')).body).toEqual({
      id: bo.tokens.user.id,
      name: 'Bo Hansen',
      nameFromSignIn: true,
      groups: [],
    });
  });

  it('follows group changes at the provider at every sign-in, keeps memberships an administrator made, and closes sockets of a group left', async () => {
    // No periodic re-check during the test: only the sign-in itself can close the socket.
    setup = await startSignInServer({ limits: { reauthIntervalMs: 600_000 } });
    const { server, provider } = setup;
    for (const id of ['udvalg', 'oekonomi', 'nyt-udvalg', 'bestyrelse']) await server.addGroup(id);
    provider.accounts.set('anne', { name: 'Anne Jensen', groups: ['udvalg', 'oekonomi'] });
    const jar = new CookieJar();
    const first = await signIn(server.url, 'anne', { jar });
    const groupsOf = async (token: string) => (await api<Me>(server.url, token, 'GET', '/api/me')).body.groups.map((g) => g.id);
    expect(await groupsOf(first.tokens.access_token)).toEqual(['oekonomi', 'udvalg']);
    // An administrator confirms one of them and adds another the provider knows nothing of.
    const on = databaseArgs(server.database);
    await runAdmin(['group', 'add-member', 'oekonomi', first.tokens.user.id, ...on]);
    await runAdmin(['group', 'add-member', 'bestyrelse', first.tokens.user.id, ...on]);

    const live = await connectSynced(server.wsUrl, 'shared/udvalg/p1', first.tokens.access_token);
    const other = await connectSynced(server.wsUrl, 'shared/oekonomi/p1', first.tokens.access_token);
    clients.push(live, other);
    const closed = closeOf(live);

    // At the provider: out of udvalg and oekonomi, into nyt-udvalg.
    provider.accounts.set('anne', { name: 'Anne Jensen', groups: ['nyt-udvalg'] });
    const second = await signIn(server.url, 'anne', { jar });
    expect(await closed).toBe(CloseCode.notFound);
    expect(await groupsOf(second.tokens.access_token)).toEqual(['bestyrelse', 'nyt-udvalg', 'oekonomi']);
    expect((await api(server.url, second.tokens.access_token, 'GET', '/api/groups/udvalg/packets/p1/annotations')).status).toBe(404);
    expect(other.provider.wsconnected).toBe(true);

    // No groups at all at the provider: only the administrator's memberships are left.
    provider.accounts.set('anne', { name: 'Anne Jensen', groups: [] });
    const third = await signIn(server.url, 'anne', { jar });
    expect(await groupsOf(third.tokens.access_token)).toEqual(['bestyrelse', 'oekonomi']);
  });

  it('gives a signed-in member the role and closed access the groups claim says, at every sign-in, and closes their closed items when it no longer does', async () => {
    setup = await startSignInServer({ limits: { reauthIntervalMs: 600_000 } });
    const { server, provider } = setup;
    const on = databaseArgs(server.database);
    await runAdmin(['group', 'add', 'udvalg', '--oidc-secretaries', 'udvalg-sekretariat', '--oidc-closed-access', 'udvalg-lukket', ...on]);
    await server.addGroup('andet');
    provider.accounts.set('anne', { name: 'Anne Jensen', groups: ['udvalg', 'udvalg-sekretariat', 'udvalg-lukket', 'andet'] });
    const jar = new CookieJar();
    const first = await signIn(server.url, 'anne', { jar });
    const token = first.tokens.access_token;
    const groups = async (t: string) => (await api<Me>(server.url, t, 'GET', '/api/me')).body.groups;
    expect(await groups(token)).toEqual([
      { id: 'andet', name: 'andet', role: 'member', closedAccess: false },
      { id: 'udvalg', name: 'udvalg', role: 'secretary', closedAccess: true },
    ]);
    // As a secretary with closed access she closes an item and reads it.
    expect((await api(server.url, token, 'PUT', '/api/groups/udvalg/packets/p1/items/3/access', { closed: true })).status).toBe(200);
    const reader = await connectSynced(server.wsUrl, 'closed/udvalg/p1/3', token);
    clients.push(reader);
    reader.provider.shouldConnect = false;
    const closed = closeOf(reader);

    // At the provider: still in the group, no longer in its secretariat or closed access.
    provider.accounts.set('anne', { name: 'Anne Jensen', groups: ['udvalg', 'andet'] });
    const second = await signIn(server.url, 'anne', { jar });
    expect(await groups(second.tokens.access_token)).toEqual([
      { id: 'andet', name: 'andet', role: 'member', closedAccess: false },
      { id: 'udvalg', name: 'udvalg', role: 'member', closedAccess: false },
    ]);
    expect(await closed).toBe(CloseCode.notFound);
    expect((await api(server.url, second.tokens.access_token, 'GET', '/api/groups/udvalg/packets/p1/items/3/annotations')).status).toBe(
      404,
    );
  });

  it('rotates the refresh token; a replaced one used again ends that sign-in, its tokens and its sockets, and no other', async () => {
    setup = await startSignInServer({ limits: { reauthIntervalMs: 50 } });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const laptop = await signIn(server.url, 'anne');
    const tablet = await signIn(server.url, 'anne', { jar: new CookieJar() });

    const first = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: laptop.tokens.refresh_token });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toMatch(REFRESH_SHAPE);
    expect(first.body.refresh_token).not.toBe(laptop.tokens.refresh_token);
    expect(first.body.access_token).not.toBe(laptop.tokens.access_token);
    expect(first.body.user).toEqual(laptop.tokens.user);
    const second = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(second.status).toBe(200);
    const socket = await connectSynced(server.wsUrl, 'notes/p1', second.body.access_token);
    clients.push(socket);
    const socketClosed = closeOf(socket);

    // The first refresh token again: someone else has it. The sign-in ends.
    const reused = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: laptop.tokens.refresh_token });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    for (const token of [laptop.tokens.access_token, first.body.access_token, second.body.access_token])
      expect((await api(server.url, token, 'GET', '/api/me')).status).toBe(401);
    expect((await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token })).status).toBe(400);
    expect(await socketClosed).toBe(CloseCode.unauthorized);
    // The tablet's sign-in is another family: untouched.
    expect((await api(server.url, tablet.tokens.access_token, 'GET', '/api/me')).status).toBe(200);

    // Logging out with the access token ends the tablet's sign-in, refresh token and all.
    const tabletSocket = await connectSynced(server.wsUrl, 'notes/p1', tablet.tokens.access_token);
    clients.push(tabletSocket);
    const tabletClosed = closeOf(tabletSocket);
    const logout = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tablet.tokens.access_token}` },
    });
    expect(logout.status).toBe(204);
    expect((await api(server.url, tablet.tokens.access_token, 'GET', '/api/me')).status).toBe(401);
    expect((await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: tablet.tokens.refresh_token })).status).toBe(400);
    expect(await tabletClosed).toBe(CloseCode.unauthorized);

    // And with the refresh token alone (an access token that has expired).
    const phone = await signIn(server.url, 'anne', { jar: new CookieJar() });
    expect((await api(server.url, null, 'POST', '/auth/logout', { refresh_token: phone.tokens.refresh_token })).status).toBe(204);
    expect((await api(server.url, phone.tokens.access_token, 'GET', '/api/me')).status).toBe(401);
  });

  it('keeps an open socket past its access token’s expiry for as long as the sign-in holds', async () => {
    let now = Date.now();
    setup = await startSignInServer({ clock: () => new Date(now), limits: { reauthIntervalMs: 50 } });
    const { server, provider } = setup;
    provider.accounts.set('anne', { name: 'Anne Jensen' });
    const signedIn = await signIn(server.url, 'anne');
    const socket = await connectSynced(server.wsUrl, 'notes/p1', signedIn.tokens.access_token);
    // Witnesses of the re-checks: sockets of administrators' tokens, revoked one after the other.
    const witnesses = [await server.addUser('Vidne 1'), await server.addUser('Vidne 2')];
    const witnessSockets = await Promise.all(witnesses.map((w) => connectSynced(server.wsUrl, 'notes/p1', w.token)));
    clients.push(socket, ...witnessSockets);
    const closed = closeOf(socket);
    now += 601_000; // the access token has expired
    expect((await api(server.url, signedIn.tokens.access_token, 'GET', '/api/me')).status).toBe(401);
    // Two re-check rounds after the expiry (each witness's close ends one): the socket is still open...
    for (const [i, witness] of witnesses.entries()) {
      const witnessClosed = closeOf(witnessSockets[i] as Client);
      await revoke(server.db, witness.token, new Date().toISOString());
      expect(await witnessClosed).toBe(CloseCode.unauthorized);
    }
    expect(socket.provider.wsconnected).toBe(true);
    // ...until the sign-in ends.
    const refreshed = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: signedIn.tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await api(server.url, null, 'POST', '/auth/logout', { refresh_token: refreshed.body.refresh_token })).status).toBe(204);
    expect(await closed).toBe(CloseCode.unauthorized);
  });

  it('sends the client secret the way the provider offers: in an Authorization header, or in the body where it offers only that', async () => {
    for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
      const forging = await startForgingSetup(method);
      try {
        const { challenge } = pkcePair();
        const start = startUrl(forging.server.url, {
          redirect_uri: EXTENSION_REDIRECT,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          state: 's',
        });
        const back = await signInWithForged(forging.provider, (claims) => ({ claims, signing: 'published-key' }), start);
        expect(back?.searchParams.get('code'), method).toMatch(/^[A-Za-z0-9_-]{43}$/);
      } finally {
        await forging.close();
      }
    }
  });

  it('writes no code, token, state, verifier or secret of a whole sign-in to the log', async () => {
    const logLines: string[] = [];
    setup = await startSignInServer({ logLines, logLevel: 'debug', limits: { reauthIntervalMs: 50 } });
    const { server, provider } = setup;
    await server.addGroup('udvalg');
    provider.accounts.set('anne', { name: 'Anne Jensen', email: 'anne@kommune.dk', groups: ['udvalg'] });
    const first = await signIn(server.url, 'anne');
    const secrets: string[] = [first.code, first.verifier, first.tokens.access_token, first.tokens.refresh_token, provider.clientSecret];
    const authorization = new URL(first.authorizationUrl);
    secrets.push(authorization.searchParams.get('state') as string, authorization.searchParams.get('nonce') as string);
    secrets.push(new URL(first.callbackUrl).searchParams.get('code') as string);
    // A socket with the token in the URL, a refresh, a replay of the code, a reuse, a logout.
    clients.push(await connectSynced(server.wsUrl, 'shared/udvalg/p1', first.tokens.access_token));
    const refreshed = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: first.tokens.refresh_token });
    secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);
    await tokenRequest(server.url, { grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier });
    await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: first.tokens.refresh_token });
    const second = await signIn(server.url, 'anne', { jar: new CookieJar() });
    secrets.push(second.code, second.tokens.access_token, second.tokens.refresh_token);
    await callback(second.callbackUrl); // the provider's code a second time: refused by the provider
    await api(server.url, second.tokens.access_token, 'POST', '/auth/logout');
    await closeCodeOf(`${server.wsUrl}/notes/p1?token=${second.tokens.access_token}`);
    await waitFor(() => logLines.some((l) => l.includes('"a refresh token was used twice')), { what: 'the reuse in the log' });

    const log = logLines.join('\n');
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    expect(log).toContain('"signed in"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(log.includes(secret), `a secret of ${secret.length} characters in the log`).toBe(false);
    }
    expect(log).not.toMatch(/rn[ar]_/);
  });
});
