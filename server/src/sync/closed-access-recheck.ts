/**
 * Sockets on closed items' rooms re-check, every `intervalMs` and at once when this process
 * changes an item's access, that their user may still read the item (docs/CLOSED-ITEMS.md): closed
 * access revoked, the user excluded, or the item opened closes the socket with 4404, as a room
 * that does not exist. One lookup per user and room a round. The periodic round is what bounds a
 * change made elsewhere (the command line, another server process); closed rooms are few, so it
 * can be frequent.
 */
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import type { ClosedRoomRef } from '@randnoter/shared/protocol/rooms';
import type { Logger } from '../log.ts';
import type { Connection } from './connection.ts';

interface ClosedSession {
  readonly connection: Connection | null;
  /** The closed item whose room the socket is on; null for every other room. */
  readonly closedItem: ClosedRoomRef | null;
}

export interface ClosedAccessRecheckOptions {
  intervalMs: number;
  sessions(): Iterable<ClosedSession>;
  mayReadClosed(ref: ClosedRoomRef, userId: string): Promise<boolean>;
  log: Logger;
}

export class ClosedAccessRecheck {
  readonly #options: ClosedAccessRecheckOptions;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;
  /** A round was asked for while one ran: it runs again after, to see the change that asked. */
  #again = false;

  constructor(options: ClosedAccessRecheckOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.recheck(), options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One round over the sockets on closed rooms (or the one under way and one more). */
  recheck(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async () => {
      do {
        this.#again = false;
        await this.#round();
      } while (this.#again);
    };
    this.#running = run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #round(): Promise<void> {
    const { sessions, mayReadClosed, log } = this.#options;
    const answers = new Map<string, Promise<boolean>>();
    for (const { connection, closedItem } of [...sessions()]) {
      if (!connection || connection.closed || closedItem === null) continue;
      const key = `${connection.room.name}\n${connection.userId}`;
      const answer = answers.get(key) ?? mayReadClosed(closedItem, connection.userId);
      answers.set(key, answer);
      try {
        if (!(await answer)) connection.close(CloseCode.notFound, 'no such room');
      } catch (error) {
        log.warn('could not re-check access to a closed item', { error: String(error) });
      }
    }
  }
}
