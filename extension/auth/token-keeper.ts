/**
 * The one keeper of the sign-in's tokens, run by the background (service worker in Chrome, event
 * page in Firefox). It alone spends refresh tokens: the server rotates them and ends a sign-in
 * whose refresh token is presented twice (docs/PROTOCOL.md, "Sign-in"), so two refreshes at once
 * would sign the user out. Here a refresh is single-flight, and signing in, refreshing and
 * signing out run one after another.
 *
 * The access token is refreshed when 80 % of its life has passed: by a timer while the
 * background is alive, and otherwise when a page next asks (a service worker's timers die with
 * it). A page whose token the server refused (401, close 4401) says which, and gets a new one
 * unless another page's report already replaced it. When the server refuses the refresh token,
 * the sign-in is over: the tokens are forgotten and the pages told to offer "Log ind igen".
 *
 * Where: the refresh token, the user and the server in `durable` (storage.local: it must outlive
 * the browser session), the access token in `memory` (storage.session: kept in memory only, and
 * across service-worker restarts). See docs/SECURITY.md, "Sign-in tokens in the extension".
 */
import type { AccessReply, SignInResult, SignInStatus, SignInUser } from '../messaging/auth-messages.ts';
import type { SignInApi, TokenAnswer } from './sign-in-api.ts';

interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TokenKeeperDeps {
  durable: StorageAreaLike;
  memory: StorageAreaLike;
  api: SignInApi;
  now(): number;
  timers: Timers;
  /** Who is signed in changed: signed in, signed out, or the sign-in ended. Not called for a routine refresh. */
  changed(status: SignInStatus): void;
}

export interface TokenKeeper {
  /** The access token for `serverUrl`, refreshed first when due or when `rejected` is the current one. */
  accessToken(serverUrl: string, rejected?: string): Promise<AccessReply>;
  /** Trades a login code (and its PKCE verifier) for tokens; a sign-in held before is ended at its server. */
  signIn(serverUrl: string, code: string, verifier: string): Promise<SignInResult>;
  /** Forgets the tokens, then tells the server to end the sign-in. */
  signOut(): Promise<SignInStatus>;
  status(): Promise<SignInStatus>;
  destroy(): void;
}

/** Storage keys: the refresh token's record and the access token's. */
const SIGN_IN_KEY = 'signIn';
const ACCESS_KEY = 'signInAccess';
/** Refresh when this share of the access token's life has passed. */
const REFRESH_AFTER = 0.8;
/** While the server cannot be reached: first retry, doubled up to the last. */
const RETRY_FIRST_MS = 15_000;
const RETRY_MAX_MS = 5 * 60_000;

interface SignInRecord {
  serverUrl: string;
  user: SignInUser;
  /** Null once the server has ended the sign-in: the user is remembered for "Log ind igen". */
  refreshToken: string | null;
}

interface AccessRecord {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

function readRecord(value: unknown): SignInRecord | null {
  const v = value as Partial<SignInRecord> | null | undefined;
  if (typeof v?.serverUrl !== 'string' || typeof v.user?.id !== 'string' || typeof v.user.name !== 'string') return null;
  if (v.refreshToken !== null && typeof v.refreshToken !== 'string') return null;
  return { serverUrl: v.serverUrl, user: { id: v.user.id, name: v.user.name }, refreshToken: v.refreshToken };
}

function readAccess(value: unknown): AccessRecord | null {
  const v = value as Partial<AccessRecord> | null | undefined;
  return typeof v?.token === 'string' && typeof v.refreshAt === 'number' && typeof v.expiresAt === 'number'
    ? { token: v.token, refreshAt: v.refreshAt, expiresAt: v.expiresAt }
    : null;
}

const statusOf = (record: SignInRecord | null): SignInStatus =>
  record === null
    ? { state: 'signed-out' }
    : { state: record.refreshToken === null ? 'ended' : 'active', serverUrl: record.serverUrl, user: record.user };

export function createTokenKeeper(deps: TokenKeeperDeps): TokenKeeper {
  let record: SignInRecord | null = null;
  let access: AccessRecord | null = null;
  let loaded: Promise<void> | null = null;
  let refreshing: Promise<AccessReply> | null = null;
  let timer: unknown = null;
  let retryMs = RETRY_FIRST_MS;
  /** Sign-in, refresh and sign-out, one at a time, in the order asked. */
  let queue: Promise<unknown> = Promise.resolve();

  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => {});
    return next;
  };

  const cancelTimer = () => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
  };
  const refreshAt = (at: number) => {
    cancelTimer();
    timer = deps.timers.setTimeout(
      () => {
        timer = null;
        void refresh();
      },
      Math.max(0, at - deps.now()),
    );
  };

  const load = () => {
    loaded ??= (async () => {
      record = readRecord((await deps.durable.get(SIGN_IN_KEY))[SIGN_IN_KEY]);
      access = record?.refreshToken ? readAccess((await deps.memory.get(ACCESS_KEY))[ACCESS_KEY]) : null;
      if (record?.refreshToken) refreshAt(access?.refreshAt ?? deps.now());
    })();
    return loaded;
  };

  /** The new pair: the refresh token is written first, as the one thing that cannot be had again. */
  const keep = async (serverUrl: string, tokens: TokenAnswer) => {
    const now = deps.now();
    const life = tokens.expires_in * 1000;
    record = { serverUrl, user: tokens.user, refreshToken: tokens.refresh_token };
    access = { token: tokens.access_token, refreshAt: now + life * REFRESH_AFTER, expiresAt: now + life };
    await deps.durable.set({ [SIGN_IN_KEY]: record });
    await deps.memory.set({ [ACCESS_KEY]: access });
    retryMs = RETRY_FIRST_MS;
    refreshAt(access.refreshAt);
  };

  const forgetAccess = async () => {
    cancelTimer();
    access = null;
    await deps.memory.remove(ACCESS_KEY);
  };

  const reply = (): AccessReply =>
    record === null
      ? { kind: 'signed-out' }
      : record.refreshToken === null
        ? { kind: 'ended', user: record.user }
        : access
          ? { kind: 'token', token: access.token, refreshAt: access.refreshAt, user: record.user }
          : { kind: 'unreachable', user: record.user };

  const runRefresh = async (): Promise<AccessReply> => {
    const current = record;
    if (!current?.refreshToken) return reply();
    const outcome = await deps.api.refresh(current.serverUrl, current.refreshToken);
    if (outcome.ok) {
      await keep(current.serverUrl, outcome.tokens);
      return reply();
    }
    if (outcome.refused) {
      // The server's last word: this sign-in is over. Keep who it was, for "Log ind igen".
      record = { ...current, refreshToken: null };
      await forgetAccess();
      await deps.durable.set({ [SIGN_IN_KEY]: record });
      deps.changed(statusOf(record));
      return reply();
    }
    // Not reached: keep everything and try again later; an access token that has expired is no use meanwhile.
    if (access && deps.now() >= access.expiresAt) await forgetAccess();
    refreshAt(deps.now() + retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    return access && deps.now() < access.expiresAt ? reply() : { kind: 'unreachable', user: current.user };
  };

  /** Single-flight: whoever asks while a refresh runs gets its outcome. */
  const refresh = (): Promise<AccessReply> => {
    refreshing ??= serially(runRefresh).finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    async accessToken(serverUrl, rejected) {
      await load();
      if (record === null || record.serverUrl !== serverUrl) return { kind: 'signed-out' };
      if (record.refreshToken === null) return reply();
      if (access && access.token !== rejected && deps.now() < access.refreshAt) return reply();
      const refreshed = await refresh();
      // A sign-in for another server may have replaced this one meanwhile.
      return record?.serverUrl === serverUrl ? refreshed : { kind: 'signed-out' };
    },

    async signIn(serverUrl, code, verifier) {
      await load();
      return serially(async () => {
        const outcome = await deps.api.redeem(serverUrl, code, verifier);
        if (!outcome.ok) return { ok: false, error: outcome.error };
        const previous = record;
        const previousAccess = access;
        await keep(serverUrl, outcome.tokens);
        // The sign-in held before is not needed any more: end it rather than leave its tokens valid.
        if (previous?.refreshToken)
          void deps.api.logout(previous.serverUrl, { access: previousAccess?.token ?? null, refresh: previous.refreshToken });
        deps.changed(statusOf(record));
        return { ok: true, user: outcome.tokens.user };
      });
    },

    async signOut() {
      await load();
      return serially(async () => {
        const previous = record;
        const previousAccess = access;
        record = null;
        await forgetAccess();
        await deps.durable.remove(SIGN_IN_KEY);
        if (previous) deps.changed(statusOf(null));
        // Forgotten first: even when the server cannot be told, nobody holds these tokens any more.
        if (previous?.refreshToken)
          await deps.api.logout(previous.serverUrl, { access: previousAccess?.token ?? null, refresh: previous.refreshToken });
        return statusOf(null);
      });
    },

    async status() {
      await load();
      return statusOf(record);
    },

    destroy: cancelTimer,
  };
}
