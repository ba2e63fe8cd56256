/**
 * The organisation's OpenID Connect provider, through openid-client (the one module that imports
 * it): discovery, the authorization URL, and redeeming the code, which validates the ID token
 * (signature against the provider's JWKS, issuer, audience, nonce, expiry, algorithm) in the
 * library, never here. Discovery happens at the first sign-in and is tried again after a failure,
 * so a provider that is down when the server starts does not stop it.
 */
import * as client from 'openid-client';
import { isLoopbackHost, type OidcConfig } from '../../config.ts';

/** Seconds any request to the provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface ProviderChecks {
  /** The `state` sent to the provider. */
  state: string;
  nonce: string;
  /** The server's PKCE verifier. */
  verifier: string;
}

export interface ProviderClient {
  /** Where to send the browser to sign in. */
  authorizationUrl(checks: { state: string; nonce: string; codeChallenge: string }): Promise<URL>;
  /** Redeems the authorization response in `callbackUrl`; the ID token's validated claims. Throws when anything is off. */
  finish(callbackUrl: URL, checks: ProviderChecks): Promise<Record<string, unknown>>;
  /** The callback URL registered at the provider. */
  readonly callbackUrl: string;
}

export function callbackUrlOf(config: Pick<OidcConfig, 'publicUrl'>): string {
  return `${config.publicUrl}/auth/oidc/callback`;
}

export function openIdProvider(config: OidcConfig): ProviderClient {
  const issuer = new URL(config.issuer);
  // config.ts accepts http:// only on a loopback address.
  const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
  const callbackUrl = callbackUrlOf(config);
  // Without enableNonRepudiationChecks, an ID token from the token endpoint is trusted for coming
  // over TLS (OpenID Connect Core 3.1.3.7) and its signature is not checked; the design wants it
  // checked against the provider's JWKS (and tests run the provider over plain http on loopback).
  const execute = insecure ? [client.allowInsecureRequests, client.enableNonRepudiationChecks] : [client.enableNonRepudiationChecks];
  const discover = async (): Promise<client.Configuration> => {
    const found = await client.discovery(issuer, config.clientId, config.clientSecret, undefined, {
      execute,
      timeout: PROVIDER_TIMEOUT_SECONDS,
    });
    // The client secret in an Authorization header (client_secret_basic), the default of OpenID
    // Connect when a provider names no method, and what many register clients with; in the body
    // (openid-client's default) only where the provider does not offer that.
    const methods = found.serverMetadata().token_endpoint_auth_methods_supported;
    if (methods && !methods.includes('client_secret_basic')) return found;
    const basic = new client.Configuration(
      { ...found.serverMetadata() },
      config.clientId,
      config.clientSecret,
      client.ClientSecretBasic(config.clientSecret),
    );
    basic.timeout = PROVIDER_TIMEOUT_SECONDS;
    for (const enable of execute) enable(basic);
    return basic;
  };
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= discover().catch((error: unknown) => {
      discovered = null;
      throw error;
    });
    return discovered;
  };

  return {
    callbackUrl,
    async authorizationUrl({ state, nonce, codeChallenge }) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: callbackUrl,
        scope: config.scopes,
        response_type: 'code',
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
    },
    async finish(url, checks) {
      const tokens = await client.authorizationCodeGrant(await configuration(), url, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.verifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      return claims as Record<string, unknown>;
    },
  };
}

export const newVerifier = client.randomPKCECodeVerifier;
export const newNonce = client.randomNonce;
export const challengeOf = client.calculatePKCECodeChallenge;
