/**
 * Sign-in through the organisation's OpenID Connect provider, brokered by the server
 * (docs/PROTOCOL.md, "Sign-in"): the extension opens /auth/oidc/start in its web-auth window, the
 * provider returns to /auth/oidc/callback, the server sends the window to the extension's
 * redirect URI with a one-time login code, and the extension trades it at /auth/token.
 *
 * Strangers reach all of it without a token, so every request takes from its address's allowance
 * first (address-rate.ts), bodies are small, and nothing is stored before the provider has
 * vouched for someone (the pending sign-in travels sealed in `state`, pending-sign-in.ts). No
 * code, token, state or provider answer is ever logged: only user ids, counts and error codes.
 */
import type { IncomingMessage } from 'node:http';
import { sValidator } from '@hono/standard-validator';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Kysely } from 'kysely';
import type { Limits, OidcConfig } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Database } from '../../storage/schema.ts';
import { bearerToken } from '../authenticate.ts';
import { AddressRate } from './address-rate.ts';
import { storeSignIn } from './complete-sign-in.ts';
import { signedInFrom } from './identity-claims.ts';
import { PendingSignIns } from './pending-sign-in.ts';
import { challengeOf, newNonce, newVerifier, type ProviderClient } from './provider-client.ts';
import { GRANT_TYPES, LogoutRequest, StartQuery, TokenRequest } from './sign-in-schemas.ts';
import { SignInSessions } from './sign-in-sessions.ts';

/** Sign-in bodies are a grant type and a token or two. */
const MAX_BODY_BYTES = 4 * 1024;
/** Longer `state` values did not come from /auth/oidc/start. */
const MAX_STATE_LENGTH = 4096;

export interface SignInDeps {
  db: Kysely<Database>;
  log: Logger;
  clock: () => Date;
  config: OidcConfig;
  limits: Pick<
    Limits,
    | 'oidcAccessTokenSeconds'
    | 'oidcRefreshIdleSeconds'
    | 'oidcSessionSeconds'
    | 'oidcPendingSeconds'
    | 'oidcMaxSessionsPerUser'
    | 'signInRequestsPerMinute'
    | 'signInBurst'
    | 'signInMaxAddresses'
  >;
  provider: ProviderClient;
  /** Closes the user's open sockets in these groups' rooms: memberships a sign-in just removed. */
  closeGroupSockets(userId: string, groupIds: readonly string[]): void;
}

type OAuthError = 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'temporarily_unavailable' | 'server_error';

const oauthError = (c: Context, error: OAuthError, description: string, status: 400 | 413 | 429 | 500 | 503 = 400) =>
  c.json({ error, error_description: description }, status);

/** The first problem a schema found, as the OAuth error it is (its message never holds the value sent). */
function refuseInvalid(
  result: { success: true } | { success: false; error: readonly { message: string }[]; data: unknown },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const grantType = (result.data as { grant_type?: unknown } | null)?.grant_type;
  if (typeof grantType === 'string' && !(GRANT_TYPES as readonly string[]).includes(grantType))
    return oauthError(c, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  return oauthError(c, 'invalid_request', result.error[0]?.message ?? 'invalid request');
}

/** What a refusal by openid-client is called in the log: its error code and fixed message, never a claim or token. */
function reasonOf(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { reason: 'unknown' };
  const { code, error: oauth } = error as { code?: unknown; error?: unknown };
  return {
    reason: error.message.slice(0, 200),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof oauth === 'string' ? { providerError: oauth.slice(0, 64) } : {}),
  };
}

function remoteAddress(c: Context): string {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? '';
}

export function signInRoutes(deps: SignInDeps): Hono {
  const { config, limits, log, clock, provider } = deps;
  const pending = new PendingSignIns(config.clientSecret, limits.oidcPendingSeconds, clock);
  const sessions = new SignInSessions(deps.db, clock, {
    accessTokenSeconds: limits.oidcAccessTokenSeconds,
    refreshIdleSeconds: limits.oidcRefreshIdleSeconds,
    sessionSeconds: limits.oidcSessionSeconds,
    maxSessionsPerUser: limits.oidcMaxSessionsPerUser,
  });
  const rate = new AddressRate(
    { perMinute: limits.signInRequestsPerMinute, burst: limits.signInBurst, maxAddresses: limits.signInMaxAddresses },
    () => clock().getTime(),
  );
  const app = new Hono();

  app.onError((error, c) => {
    // Malformed JSON, from the validator.
    if (error instanceof HTTPException && error.status === 400)
      return oauthError(c, 'invalid_request', 'the request body is not valid JSON');
    log.error('sign-in request failed', { route: c.req.routePath, error: error instanceof Error ? error.message : 'unknown' });
    return oauthError(c, 'server_error', 'internal error', 500);
  });
  app.use('*', async (c, next) => {
    const wait = rate.take(remoteAddress(c));
    if (wait !== null) {
      c.header('retry-after', String(wait));
      return oauthError(c, 'temporarily_unavailable', 'too many sign-in requests from this address', 429);
    }
    await next();
    // Codes and tokens must not be kept by any cache (RFC 6749 5.1).
    c.res.headers.set('cache-control', 'no-store');
    c.res.headers.set('pragma', 'no-cache');
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => oauthError(c, 'invalid_request', 'request body too large', 413) }));

  app.get('/oidc/start', sValidator('query', StartQuery, refuseInvalid), async (c) => {
    const query = c.req.valid('query');
    // Exact match against the allow-list; anything else is answered here, never redirected to.
    if (!config.redirects.includes(query.redirect_uri))
      return oauthError(c, 'invalid_request', 'redirect_uri is not one this server may redirect to (RANDNOTER_OIDC_REDIRECTS)');
    const verifier = newVerifier();
    const nonce = newNonce();
    const state = await pending.seal({
      redirectUri: query.redirect_uri,
      clientState: query.state,
      codeChallenge: query.code_challenge,
      verifier,
      nonce,
    });
    let target: URL;
    try {
      target = await provider.authorizationUrl({ state, nonce, codeChallenge: await challengeOf(verifier) });
    } catch (error) {
      log.warn('the sign-in provider cannot be reached', reasonOf(error));
      return oauthError(c, 'temporarily_unavailable', 'the sign-in provider cannot be reached; try again later', 503);
    }
    return c.redirect(target.href, 302);
  });

  app.get('/oidc/callback', async (c) => {
    const here = new URL(c.req.url);
    const state = here.searchParams.get('state');
    const signIn = state !== null && state.length <= MAX_STATE_LENGTH ? await pending.open(state) : null;
    if (state === null || !signIn || !config.redirects.includes(signIn.redirectUri))
      return oauthError(c, 'invalid_request', 'unknown or expired sign-in: start again');
    const back = (params: Record<string, string>) => {
      const to = new URL(signIn.redirectUri);
      for (const [key, value] of Object.entries(params)) to.searchParams.set(key, value);
      to.searchParams.set('state', signIn.clientState);
      return c.redirect(to.href, 302);
    };
    if (here.searchParams.has('error')) {
      // An OAuth error code, or 'other': the parameter is whatever the browser was given, so only a code's shape is logged.
      const code = here.searchParams.get('error') ?? '';
      log.info('sign-in refused by the provider', { providerError: /^[a-z_]{1,64}$/.test(code) ? code : 'other' });
      return back({ error: 'access_denied' });
    }
    // The URL the provider was told to return to, with what it returned.
    const answered = new URL(provider.callbackUrl);
    answered.search = here.search;
    let claims: Record<string, unknown>;
    try {
      claims = await provider.finish(answered, { state, nonce: signIn.nonce, verifier: signIn.verifier });
    } catch (error) {
      log.warn('sign-in refused: the provider’s answer did not hold', reasonOf(error));
      return back({ error: 'access_denied' });
    }
    const read = signedInFrom(claims, config);
    if (!read.ok) {
      log.warn('sign-in refused', { reason: read.error });
      return back({ error: 'access_denied' });
    }
    if (read.value.groups === null)
      log.warn('sign-in without the whole groups claim: memberships left as they were', { claim: config.groupsClaim });
    const stored = await storeSignIn(deps.db, read.value, clock().toISOString());
    if (stored.disabled) {
      log.info('sign-in refused: the user is disabled', { user: stored.user.id });
      return back({ error: 'access_denied' });
    }
    if (stored.removed.length > 0) deps.closeGroupSockets(stored.user.id, stored.removed);
    log.info('signed in', {
      user: stored.user.id,
      newUser: stored.created,
      groupsJoined: stored.added.length,
      groupsLeft: stored.removed.length,
      groupAccessChanged: stored.access.length,
    });
    return back({ code: await sessions.newLoginCode(stored.user.id, signIn.codeChallenge) });
  });

  app.post('/token', sValidator('json', TokenRequest, refuseInvalid), async (c) => {
    const request = c.req.valid('json');
    const outcome =
      request.grant_type === 'authorization_code'
        ? await sessions.redeem(request.code, request.code_verifier)
        : await sessions.refresh(request.refresh_token);
    if (!outcome.ok) {
      if (outcome.endedFor) log.warn('a refresh token was used twice: that sign-in is ended', { user: outcome.endedFor });
      return oauthError(c, 'invalid_grant', outcome.description);
    }
    log.info(request.grant_type === 'authorization_code' ? 'sign-in tokens issued' : 'sign-in refreshed', {
      user: outcome.tokens.user.id,
    });
    return c.json(outcome.tokens);
  });

  app.post('/logout', sValidator('json', LogoutRequest, refuseInvalid), async (c) => {
    const tokens = [bearerToken(c.req.header('authorization')), c.req.valid('json').refresh_token].filter(
      (t): t is string => t !== undefined,
    );
    if (tokens.length === 0) return oauthError(c, 'invalid_request', 'send the refresh token, or the access token as a bearer token');
    let ended = 0;
    for (const token of tokens) if (await sessions.end(token)) ended++;
    if (ended > 0) log.info('signed out', { signIns: ended });
    return c.body(null, 204);
  });

  return app;
}
