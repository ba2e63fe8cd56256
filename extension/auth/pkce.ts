/**
 * The extension's own PKCE pair (RFC 7636, S256) and `state` for one sign-in. The verifier never
 * leaves the extension until it is traded with the login code at the server's /auth/token, so a
 * login code read from the redirect URL is worthless to anyone else.
 */

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** `bytes` random bytes, base64url: 32 make a 43-character verifier (256 bits). */
function randomToken(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** S256: base64url(sha256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export interface SignInSecrets {
  verifier: string;
  challenge: string;
  /** Ties the redirect back to this sign-in: another page's redirect carries another state. */
  state: string;
}

export async function newSignInSecrets(): Promise<SignInSecrets> {
  const verifier = randomToken(32);
  return { verifier, challenge: await challengeOf(verifier), state: randomToken(16) };
}
