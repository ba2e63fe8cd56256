/**
 * How a page (viewer, sidebar, options) holds the token it talks to the server with: a token the
 * user pasted (service accounts, test servers), or the current access token of the sign-in
 * through the organisation, which it asks the background for (messaging/auth-messages.ts) and
 * never refreshes itself. The page asks again when the background said the token is due, and
 * when the server refused one (401, close 4401); the background decides whether that means a
 * refresh. A sign-in wins over a pasted token for the same server.
 */
import type { AccessReply, AuthRequest, SignInUser } from '../messaging/auth-messages.ts';
import { ApiError, type ServerIdentity } from '../sync/server-api.ts';

export type AskBackground = (request: AuthRequest) => Promise<unknown>;

interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Access {
  /** For the server's HTTP API and the rooms: `token` is read at each use, so it is always the newest. */
  readonly identity: ServerIdentity;
  /** Who signed in through the organisation; null for a pasted token. */
  readonly user: SignInUser | null;
  /** The server refused `rejected`: resolves true when there is a new token to try. */
  renew(rejected: string): Promise<boolean>;
  /** The sign-in is over (the server refused to refresh it): only signing in again helps. */
  ended(): boolean;
  onEnded(listener: () => void): () => void;
  destroy(): void;
}

/** While the background could not reach the server, ask again this often. */
const UNREACHABLE_RETRY_MS = 30_000;

function pastedTokenAccess(serverUrl: string, token: string): Access {
  return {
    identity: { serverUrl, token },
    user: null,
    renew: async () => false,
    ended: () => false,
    onEnded: () => () => {},
    destroy: () => {},
  };
}

/** What the background answered, checked: anything malformed counts as "could not ask". */
function readReply(reply: unknown): AccessReply | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const r = reply as Record<string, unknown>;
  if (r.kind === 'signed-out') return { kind: 'signed-out' };
  const user = r.user as Partial<SignInUser> | undefined;
  if (typeof user?.id !== 'string' || typeof user.name !== 'string') return null;
  const who = { id: user.id, name: user.name };
  if (r.kind === 'token' && typeof r.token === 'string' && typeof r.refreshAt === 'number')
    return { kind: 'token', token: r.token, refreshAt: r.refreshAt, user: who };
  if (r.kind === 'ended' || r.kind === 'unreachable') return { kind: r.kind, user: who };
  return null;
}

/**
 * The sign-in's access for `serverUrl`, or null when the background holds no sign-in for it.
 * `now` and `timers` are the page's clock (tests pass fakes).
 */
export async function openSignInAccess(
  serverUrl: string,
  deps: { ask: AskBackground; now(): number; timers: Timers },
): Promise<Access | null> {
  const askFor = async (rejected?: string): Promise<AccessReply | null> => {
    try {
      return readReply(await deps.ask({ type: 'rn:auth-token', serverUrl, ...(rejected === undefined ? {} : { rejected }) }));
    } catch {
      return null;
    }
  };
  const first = await askFor();
  if (first === null || first.kind === 'signed-out') return null;

  let token = '';
  let isEnded = false;
  let timer: unknown = null;
  let destroyed = false;
  const endedListeners = new Set<() => void>();
  const identity: ServerIdentity = {
    serverUrl,
    get token() {
      return token;
    },
  };

  const askLater = (ms: number) => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = deps.timers.setTimeout(
      () => {
        timer = null;
        void askFor().then((reply) => take(reply));
      },
      Math.max(0, ms),
    );
  };
  /** Takes the background's answer; true when it brought a token. */
  const take = (reply: AccessReply | null): boolean => {
    if (destroyed || isEnded) return false;
    if (reply?.kind === 'token') {
      token = reply.token;
      askLater(reply.refreshAt - deps.now());
      return true;
    }
    if (reply?.kind === 'ended' || reply?.kind === 'signed-out') {
      // Signed out on the options page counts the same here: this page has no token any more.
      isEnded = true;
      token = '';
      for (const listener of endedListeners) listener();
      return false;
    }
    askLater(UNREACHABLE_RETRY_MS);
    return false;
  };
  take(first);

  return {
    identity,
    user: first.user,
    async renew(rejected) {
      if (isEnded || destroyed) return false;
      return take(await askFor(rejected)) && token !== rejected;
    },
    ended: () => isEnded,
    onEnded(listener) {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      endedListeners.clear();
    },
  };
}

/** The access a page uses for these settings: the sign-in for the server if there is one, else a pasted token, else none. */
export async function openAccess(
  settings: { serverUrl: string; token: string },
  deps: { ask: AskBackground; now(): number; timers: Timers },
): Promise<Access | null> {
  if (!settings.serverUrl) return null;
  const signIn = await openSignInAccess(settings.serverUrl, deps);
  if (signIn) return signIn;
  return settings.token ? pastedTokenAccess(settings.serverUrl, settings.token) : null;
}

/** Runs an HTTP call; when the server answers 401, once more with a renewed token. */
export async function withRenewal<T>(access: Access, call: () => Promise<T>): Promise<T> {
  const used = access.identity.token;
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && (await access.renew(used))) return call();
    throw error;
  }
}
