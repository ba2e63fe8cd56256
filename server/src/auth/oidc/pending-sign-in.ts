/**
 * A sign-in between /auth/oidc/start and /auth/oidc/callback. The server keeps nothing of it: what
 * the callback needs (where to send the extension back, the extension's state and PKCE challenge,
 * the server's own PKCE verifier and nonce for the provider) travels encrypted in the `state`
 * parameter through the provider and back (JWE, `dir` + A256GCM, with an expiry). A stranger who
 * starts a million sign-ins fills no table; a `state` that does not decrypt, or has expired, is
 * refused. The key is derived from the client secret, so every process of a deployment shares it.
 */
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

export interface PendingSignIn {
  /** The extension's redirect URI (in the allow-list when the sign-in began). */
  redirectUri: string;
  /** The extension's own `state`, given back unchanged. */
  clientState: string;
  /** The extension's PKCE challenge (S256), which its verifier must match at /auth/token. */
  codeChallenge: string;
  /** The server's PKCE verifier with the provider. */
  verifier: string;
  nonce: string;
}

const FIELDS = ['redirectUri', 'clientState', 'codeChallenge', 'verifier', 'nonce'] as const;

export class PendingSignIns {
  readonly #key: Uint8Array;
  readonly #lifetimeSeconds: number;
  readonly #clock: () => Date;

  constructor(clientSecret: string, lifetimeSeconds: number, clock: () => Date) {
    this.#key = new Uint8Array(hkdfSync('sha256', clientSecret, 'randnoter', 'pending OpenID Connect sign-in, v1', 32));
    this.#lifetimeSeconds = lifetimeSeconds;
    this.#clock = clock;
  }

  async seal(pending: PendingSignIn): Promise<string> {
    const now = Math.floor(this.#clock().getTime() / 1000);
    return new EncryptJWT({ ...pending })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(now)
      .setExpirationTime(now + this.#lifetimeSeconds)
      .encrypt(this.#key);
  }

  /** The sign-in sealed in `state`, or null when it was not sealed here, was altered, or has expired. */
  async open(state: string): Promise<PendingSignIn | null> {
    try {
      const { payload } = await jwtDecrypt(state, this.#key, {
        currentDate: this.#clock(),
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp'],
      });
      const pending = {} as Record<(typeof FIELDS)[number], string>;
      for (const field of FIELDS) {
        const value = payload[field];
        if (typeof value !== 'string') return null;
        pending[field] = value;
      }
      return pending;
    } catch {
      return null;
    }
  }
}
