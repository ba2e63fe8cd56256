/**
 * The sign-in endpoints' request schemas (valibot, checked through @hono/standard-validator).
 * Messages never repeat the value sent: it may be a token.
 */
import * as v from 'valibot';

/** Longest token or code a client may send; the real ones are 43 to 69 characters. */
const MAX_TOKEN_LENGTH = 256;

export const StartQuery = v.object({
  redirect_uri: v.pipe(v.string('redirect_uri is required, once'), v.maxLength(2048, 'redirect_uri is too long')),
  code_challenge: v.pipe(
    v.string('code_challenge is required, once'),
    v.regex(/^[A-Za-z0-9_-]{43}$/, 'code_challenge must be an S256 challenge: 43 base64url characters'),
  ),
  code_challenge_method: v.literal('S256', 'code_challenge_method must be S256'),
  state: v.pipe(v.string('state is required, once'), v.regex(/^[\x21-\x7e]{1,256}$/, 'state must be 1 to 256 visible ASCII characters')),
});

const token = (name: string) =>
  v.pipe(v.string(`${name} is required`), v.minLength(1, `${name} is required`), v.maxLength(MAX_TOKEN_LENGTH, `${name} is too long`));

export const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

export const TokenRequest = v.variant(
  'grant_type',
  [
    v.object({
      grant_type: v.literal('authorization_code'),
      code: token('code'),
      code_verifier: v.pipe(
        v.string('code_verifier is required'),
        v.regex(/^[A-Za-z0-9._~-]{43,128}$/, 'code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~'),
      ),
    }),
    v.object({ grant_type: v.literal('refresh_token'), refresh_token: token('refresh_token') }),
  ],
  'grant_type must be authorization_code or refresh_token',
);

export const LogoutRequest = v.object({ refresh_token: v.optional(token('refresh_token')) });
