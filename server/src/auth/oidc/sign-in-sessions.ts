/**
 * What a completed sign-in gives the extension, and how it is kept: a one-time login code (60 s,
 * bound to the extension's PKCE challenge), then a sign-in (refresh-token family) with a
 * short-lived access token and one current refresh token. Each refresh replaces the refresh token;
 * presenting any other token of the family (one already replaced, or forged) ends the sign-in,
 * since it means two parties hold its tokens (OAuth 2.0 Security BCP, refresh token rotation).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../storage/schema.ts';
import {
  deleteRefreshFamily,
  findRefreshFamily,
  insertAccessToken,
  insertLoginCode,
  insertRefreshFamily,
  rotateRefreshToken,
  takeLoginCode,
  userBySignIn,
} from '../../storage/sign-ins.ts';
import { findUser } from '../../storage/users.ts';
import { hashToken } from '../tokens.ts';
import { challengeOf } from './provider-client.ts';
import {
  familyOf,
  looksLikeLoginCode,
  newAccessToken,
  newFamilyId,
  newLoginCode,
  newRefreshToken,
  refreshFamilyOf,
} from './session-tokens.ts';

/** A login code is good for this long (docs/PROTOCOL.md: part of the contract, not a setting). */
const LOGIN_CODE_SECONDS = 60;

export interface SessionLimits {
  accessTokenSeconds: number;
  refreshIdleSeconds: number;
  sessionSeconds: number;
  maxSessionsPerUser: number;
}

/** The body of a successful `POST /auth/token`. */
export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: { id: string; name: string };
}

export type TokenOutcome =
  | { ok: true; tokens: TokenAnswer }
  | { ok: false; description: string /** Set when a used refresh token ended a sign-in. */; endedFor?: string };

const refused = (description: string): TokenOutcome => ({ ok: false, description });

const isoAfter = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000).toISOString();

export class SignInSessions {
  readonly #db: Kysely<Database>;
  readonly #clock: () => Date;
  readonly #limits: SessionLimits;

  constructor(db: Kysely<Database>, clock: () => Date, limits: SessionLimits) {
    this.#db = db;
    this.#clock = clock;
    this.#limits = limits;
  }

  /** A login code for `userId`, to be redeemed with the verifier of `codeChallenge`. */
  async newLoginCode(userId: string, codeChallenge: string): Promise<string> {
    const now = this.#clock();
    const code = newLoginCode();
    await insertLoginCode(
      this.#db,
      { hash: hashToken(code), userId, codeChallenge, expires: isoAfter(now, LOGIN_CODE_SECONDS) },
      now.toISOString(),
    );
    return code;
  }

  /** Trades a login code and the PKCE verifier for a new sign-in's tokens. The code is spent either way. */
  async redeem(code: string, verifier: string): Promise<TokenOutcome> {
    const taken = looksLikeLoginCode(code) ? await takeLoginCode(this.#db, hashToken(code)) : undefined;
    if (!taken || taken.expires <= this.#clock().toISOString()) return refused('unknown, used or expired login code');
    const challenge = Buffer.from(await challengeOf(verifier));
    const expected = Buffer.from(taken.codeChallenge);
    if (challenge.length !== expected.length || !timingSafeEqual(challenge, expected))
      return refused('code_verifier does not match the code_challenge');
    const user = await findUser(this.#db, taken.userId);
    if (!user || !(await this.#enabled(user.id))) return refused('the user may not sign in');
    return { ok: true, tokens: await this.#begin(user) };
  }

  /** A new access token and refresh token for the sign-in of `refreshToken`, which is spent. */
  async refresh(refreshToken: string): Promise<TokenOutcome> {
    const familyId = refreshFamilyOf(refreshToken);
    if (familyId === null) return refused('unknown refresh token');
    const now = this.#clock();
    const next = newRefreshToken(familyId);
    const hash = hashToken(refreshToken);
    const rotated = await rotateRefreshToken(
      this.#db,
      familyId,
      hash,
      { hash: hashToken(next), expires: isoAfter(now, this.#limits.refreshIdleSeconds) },
      now.toISOString(),
    );
    if (!rotated) {
      const family = await findRefreshFamily(this.#db, familyId);
      if (!family) return refused('unknown refresh token');
      // The sign-in ends either way: a token of it used twice, or it ran out.
      await deleteRefreshFamily(this.#db, familyId);
      const live = family.expires > now.toISOString() && family.refreshExpires > now.toISOString();
      if (live && family.refreshHash !== hash)
        return { ok: false, description: 'refresh token already used: signed out', endedFor: family.userId };
      return refused('the sign-in has expired');
    }
    const user = await userBySignIn(this.#db, familyId, now.toISOString());
    if (!user) return refused('the user may not sign in');
    const access = newAccessToken(familyId);
    await insertAccessToken(
      this.#db,
      { hash: hashToken(access), familyId, expires: isoAfter(now, this.#limits.accessTokenSeconds) },
      now.toISOString(),
    );
    return { ok: true, tokens: this.#answer(user, access, next) };
  }

  /** Ends the sign-in an access or refresh token belongs to; false when it names none. */
  async end(token: string): Promise<boolean> {
    const familyId = familyOf(token);
    return familyId !== null && deleteRefreshFamily(this.#db, familyId);
  }

  async #enabled(userId: string): Promise<boolean> {
    const row = await this.#db.selectFrom('users').select('disabled').where('id', '=', userId).executeTakeFirst();
    return row !== undefined && row.disabled === null;
  }

  async #begin(user: User): Promise<TokenAnswer> {
    const now = this.#clock();
    const familyId = newFamilyId();
    const refresh = newRefreshToken(familyId);
    const access = newAccessToken(familyId);
    await this.#db.transaction().execute(async (trx) => {
      await insertRefreshFamily(
        trx,
        {
          id: familyId,
          userId: user.id,
          created: now.toISOString(),
          expires: isoAfter(now, this.#limits.sessionSeconds),
          refreshHash: hashToken(refresh),
          refreshExpires: isoAfter(now, Math.min(this.#limits.refreshIdleSeconds, this.#limits.sessionSeconds)),
        },
        this.#limits.maxSessionsPerUser,
      );
      await insertAccessToken(
        trx,
        { hash: hashToken(access), familyId, expires: isoAfter(now, this.#limits.accessTokenSeconds) },
        now.toISOString(),
      );
    });
    return this.#answer(user, access, refresh);
  }

  #answer(user: User, access: string, refresh: string): TokenAnswer {
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.#limits.accessTokenSeconds,
      refresh_token: refresh,
      user: { id: user.id, name: user.name },
    };
  }
}
