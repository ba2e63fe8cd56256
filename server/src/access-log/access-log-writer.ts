/**
 * Writes the access log off the hot path. A socket joining a room or a request reading one only
 * hands an entry to this writer (a map lookup and an array push); entries are written together,
 * every `flushMs`, in a few INSERT statements.
 *
 * The coalescing rule (docs/OPERATIONS.md, "Access log"): an opening of a group's room by a user
 * (the same room, the same way: socket or HTTP) is recorded only if no opening of it by them was
 * recorded in the last `coalesceMs`. A reconnect storm of one user's tabs is one row per room per
 * window, not one per socket. Exports are each recorded.
 *
 * Memory is bounded: at most `maxPending` entries wait for a write (past it new ones are dropped,
 * counted and logged), and the openings remembered for coalescing are forgotten after the window
 * (all of them at once if there are ever more than `maxPending`: some rows twice, never unbounded).
 */
import type { Logger } from '../log.ts';
import type { AccessEntry } from '../storage/access-log.ts';
import type { AccessVia } from '../storage/schema.ts';

/** A group's room: its open room (itemNumber null) or a closed item's. */
export interface GroupRoom {
  groupId: string;
  packetId: string;
  itemNumber: number | null;
}

/** What the parts that grant access need of the access log. */
export interface AccessRecorder {
  /** The user read the room (a socket joined it, a request listed its comments). */
  opened(userId: string, room: GroupRoom, via: AccessVia): void;
  /** The user exported the room's comments in `format`. */
  exported(userId: string, room: GroupRoom, format: string, via: AccessVia): void;
  /** A person's own-data export: by them (http) or by an administrator (command). */
  ownData(userId: string, via: AccessVia): void;
}

export interface AccessLogWriterOptions {
  write(entries: readonly AccessEntry[]): Promise<void>;
  clock: () => Date;
  log: Logger;
  coalesceMs: number;
  flushMs: number;
  maxPending: number;
}

export class AccessLogWriter implements AccessRecorder {
  readonly #options: AccessLogWriterOptions;
  #pending: AccessEntry[] = [];
  /** Opening key → when it was last recorded (ms). */
  readonly #recent = new Map<string, number>();
  #dropped = 0;
  #flushing: Promise<void> | null = null;
  readonly #timer: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(options: AccessLogWriterOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.flush(), options.flushMs);
    // The log never keeps a process alive: close() writes what is left.
    this.#timer.unref?.();
  }

  opened(userId: string, room: GroupRoom, via: AccessVia): void {
    const now = this.#options.clock();
    const key = `${userId}\n${via}\n${room.groupId}\n${room.packetId}\n${room.itemNumber ?? ''}`;
    const last = this.#recent.get(key);
    if (last !== undefined && now.getTime() - last < this.#options.coalesceMs) return;
    if (this.#recent.size >= this.#options.maxPending) this.#recent.clear();
    this.#recent.set(key, now.getTime());
    this.#add({ at: now.toISOString(), userId, action: 'opened', via, ...room, detail: null });
  }

  exported(userId: string, room: GroupRoom, format: string, via: AccessVia): void {
    this.#add({ at: this.#options.clock().toISOString(), userId, action: 'exported', via, ...room, detail: format });
  }

  ownData(userId: string, via: AccessVia): void {
    const at = this.#options.clock().toISOString();
    this.#add({ at, userId, action: 'own-data', via, groupId: null, packetId: null, itemNumber: null, detail: 'json' });
  }

  /** Entries waiting to be written. */
  get pending(): number {
    return this.#pending.length;
  }

  #add(entry: AccessEntry): void {
    if (this.#closed) return;
    if (this.#pending.length >= this.#options.maxPending) {
      this.#dropped++;
      return;
    }
    this.#pending.push(entry);
  }

  /** Writes what is waiting; one write at a time (a call during a write waits for it, then writes the rest). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#forgetOld();
    if (this.#dropped > 0) {
      this.#options.log.warn('access log entries dropped: more waiting than RANDNOTER_ACCESS_LOG_MAX_PENDING', { dropped: this.#dropped });
      this.#dropped = 0;
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#options.write(batch).then(
      () => {},
      (error: unknown) => {
        // Kept for the next flush, within the bound: a database that is briefly away loses nothing.
        this.#options.log.warn('could not write the access log', { error: String(error), entries: batch.length });
        const room = this.#options.maxPending - this.#pending.length;
        this.#pending = [...batch.slice(0, Math.max(0, room)), ...this.#pending];
      },
    );
    try {
      await this.#flushing;
    } finally {
      this.#flushing = null;
    }
  }

  #forgetOld(): void {
    const horizon = this.#options.clock().getTime() - this.#options.coalesceMs;
    for (const [key, at] of this.#recent) if (at <= horizon) this.#recent.delete(key);
  }

  /** Stops the timer and writes what is left; later entries are ignored. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#closed = true;
  }
}
