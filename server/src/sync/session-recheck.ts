/**
 * Open sockets re-check their token every `reauthIntervalMs`, and shared rooms the membership:
 * revoking a token (4401) or a membership (4404) ends the live sessions too. One lookup per token
 * and per membership a round, not one per socket: a user's devices and rooms share them, and a
 * server holds thousands of sockets.
 */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import type { Logger } from '../log.ts';
import type { Connection } from './connection.ts';

/** An open session: its connection, the token it opened with, and the group of a shared room. */
export interface Session {
  readonly connection: Connection | null;
  readonly token: string | null;
  readonly groupId: string | null;
}

export interface SessionRecheckOptions {
  intervalMs: number;
  sessions(): Iterable<Session>;
  authenticate(token: string): Promise<{ id: string } | undefined>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  log: Logger;
}

export class SessionRecheck {
  readonly #options: SessionRecheckOptions;
  readonly #timer: NodeJS.Timeout;

  constructor(options: SessionRecheckOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.recheck(), options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One round over every open session. */
  async recheck(): Promise<void> {
    const { sessions, authenticate, isMember, log } = this.#options;
    const users = new Map<string, Promise<{ id: string } | undefined>>();
    const memberships = new Map<string, Promise<boolean>>();
    const once = <T>(cache: Map<string, Promise<T>>, key: string, look: () => Promise<T>): Promise<T> => {
      const found = cache.get(key) ?? look();
      cache.set(key, found);
      return found;
    };
    for (const { connection, token, groupId } of [...sessions()]) {
      if (!connection || connection.closed || token === null) continue;
      try {
        const user = await once(users, token, () => authenticate(token));
        if (!user) connection.close(CloseCode.unauthorized, 'token revoked');
        else if (groupId !== null && !(await once(memberships, `${groupId}/${user.id}`, () => isMember(groupId, user.id))))
          connection.close(CloseCode.notFound, 'no such room');
      } catch (error) {
        log.warn('could not re-check a token', { error: String(error) });
      }
    }
  }
}
