/**
 * Loaded rooms. A small concurrency protocol: concurrent loads of one room share a promise;
 * a room unloads only when it has no peers, nothing queued, and has been idle for a while;
 * after every await the state is checked again.
 */

import { parseStorageName } from '@randnoter/shared/protocol/rooms';
import * as Y from 'yjs';
import type { Fanout } from '../fanout/fanout.ts';
import type { Logger } from '../log.ts';
import { Refusal, RefusalKind } from '../refusal.ts';
import type { DocStore } from '../storage/doc-store.ts';
import type { PresenceRedactor } from './awareness-filter.ts';
import { type Clock, realClock } from './clock.ts';
import { applyStored } from './live-doc.ts';
import { NextTurn } from './next-turn.ts';
import { Room, type RoomLimits, type RoomStorage } from './room.ts';
import { StorageAccount } from './storage-account.ts';

/** What an empty Y.Doc encodes to: the stored state of a room that was reset. */
const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

export interface RoomsOptions {
  /** `storedBytes` counts what a user's notes rooms hold, for their storage quota; `rewrite` resets rooms. */
  storage: RoomStorage & Pick<DocStore, 'storedBytes' | 'rewrite'>;
  /** Bytes one user's notes rooms may store in all (absent: no quota). */
  userStorageQuota?: number;
  /** Limits of private rooms; shared rooms (written by many) get `maxSharedDocBytes` as their size cap. */
  limits: RoomLimits & { maxSharedDocBytes: number };
  log: Logger;
  /** Unload rooms idle (no peers, nothing queued) for this long. */
  idleUnloadMs: number;
  /** Other server processes sharing the rooms (Redis); null or absent on a single process. */
  fanout?: Fanout | null;
  /**
   * With a fan-out: the database's head seq of rooms, compared every `headCheckMs` with what each
   * loaded room holds. It finds what a process committed but never published (killed in between,
   * or Redis lost the message) when nothing else would: a gap shows only at the next update.
   */
  heads?: (rooms: readonly string[]) => Promise<Map<string, number>>;
  headCheckMs?: number;
  /** The rooms' clock and timers (compaction, gap reads, idle time); real by default. */
  clock?: Clock;
  /** What a room's presence must not show (by room name; none: everything its peers send). */
  redactPresence?: (room: string) => PresenceRedactor | undefined;
}

export class Rooms {
  readonly #loaded = new Map<string, Room>();
  readonly #loading = new Map<string, Promise<Room>>();
  /** Per user with notes rooms loaded (or loading): their storage account and how many rooms use it. */
  readonly #accounts = new Map<string, { account: Promise<StorageAccount>; rooms: number }>();
  readonly #options: RoomsOptions;
  readonly #turn = new NextTurn();
  readonly #clock: Clock;
  readonly #sweeper: NodeJS.Timeout;
  #sweeping = false;
  readonly #headChecker: NodeJS.Timeout | null = null;
  #checkingHeads = false;
  #destroyed = false;

  constructor(options: RoomsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#sweeper = setInterval(() => void this.sweep(), Math.max(50, Math.min(options.idleUnloadMs, 10_000)));
    this.#sweeper.unref();
    // Messages published while the connection was down are lost: every room reads what it missed.
    options.fanout?.onReconnect(() => {
      for (const room of this.#loaded.values()) room.catchUp();
    });
    if (options.fanout && options.heads) {
      this.#headChecker = setInterval(() => void this.checkHeads(), options.headCheckMs ?? 2_000);
      this.#headChecker.unref();
    }
  }

  /** Loaded rooms behind the database's head read what they lack (see RoomsOptions.heads). */
  async checkHeads(): Promise<void> {
    const { heads, log } = this.#options;
    if (!heads || this.#checkingHeads || this.#loaded.size === 0) return;
    this.#checkingHeads = true;
    try {
      const stored = await heads([...this.#loaded.keys()]);
      for (const room of this.#loaded.values()) if ((stored.get(room.name) ?? 0) > room.appliedSeq) room.catchUp();
    } catch (error) {
      log.warn('reading room heads failed', { error: String(error) });
    } finally {
      this.#checkingHeads = false;
    }
  }

  #limitsOf(name: string): RoomLimits {
    const { limits } = this.#options;
    // Shared and closed rooms are written by many: the shared cap.
    const kind = parseStorageName(name)?.kind;
    return kind === 'shared' || kind === 'closed'
      ? { ...limits, maxDocBytes: Math.min(limits.maxDocBytes, limits.maxSharedDocBytes) }
      : limits;
  }

  get loadedCount(): number {
    return this.#loaded.size;
  }

  peek(name: string): Room | undefined {
    return this.#loaded.get(name);
  }

  /**
   * The loaded room, loading it first if needed. The room is touched at once, so a sweep that is
   * between its checks cannot unload it before the caller joins or enqueues.
   */
  async get(name: string): Promise<Room> {
    if (this.#destroyed) throw new Refusal(RefusalKind.unavailable, 'server shutting down');
    const loaded = this.#loaded.get(name);
    if (loaded && !loaded.broken) {
      loaded.touch();
      return loaded;
    }
    if (loaded?.broken) this.#drop(loaded);
    const pending = this.#loading.get(name);
    if (pending) return pending;
    const { storage, log, fanout } = this.#options;
    const owner = this.#accountOwner(name);
    const loading = (async () => {
      const account = owner === null ? null : await this.#takeAccount(owner);
      try {
        const redactPresence = this.#options.redactPresence?.(name);
        return await Room.load({
          name,
          storage,
          limits: this.#limitsOf(name),
          log,
          fanout,
          turn: this.#turn,
          account,
          clock: this.#clock,
          ...(redactPresence ? { redactPresence } : {}),
        });
      } catch (error) {
        if (owner !== null) this.#releaseAccount(owner);
        throw error;
      }
    })().then(
      (room) => {
        this.#loading.delete(name);
        if (this.#destroyed) {
          room.destroy();
          throw new Refusal(RefusalKind.unavailable, 'server shutting down');
        }
        this.#loaded.set(name, room);
        room.touch();
        return room;
      },
      (error: unknown) => {
        this.#loading.delete(name);
        throw error;
      },
    );
    this.#loading.set(name, loading);
    return loading;
  }

  /**
   * Calls `use` with the loaded room. What `use` does synchronously (join a peer, enqueue a change
   * or a read) keeps the room loaded; a room unloaded between load and use is loaded again.
   */
  async use<T>(name: string, use: (room: Room) => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const room = await this.get(name);
      if (!room.destroyed) return use(room);
      if (attempt >= 3) throw new Refusal(RefusalKind.unavailable, 'room unavailable, try again');
    }
  }

  /**
   * Empties a room for good (an administrator's last resort), as a rewrite (below): its storage
   * becomes an empty document at a new seq with the whole log dropped, so nothing of it is read
   * back, not even from a snapshot stored when it was last unloaded. Its peers here and in the
   * other processes are closed with 1012 and reconnect to the empty room. A notes room's owner's
   * connected devices drop their copies then; one offline at the time sends its copy again.
   */
  async reset(name: string): Promise<void> {
    const { storage } = this.#options;
    await this.rewrite([name], () =>
      storage.rewrite(
        [name],
        () => new Map([[name, EMPTY_STATE]]),
        async () => {},
      ),
    );
  }

  /**
   * Runs `write`, a rewrite of these rooms' storage (DocStore.rewrite), with the rooms held still:
   * each is loaded here (so the other processes hear of it), what it accepted is committed first,
   * and new work is refused until it is dropped afterwards, here and in the other processes, to
   * be loaded again from what `write` stored. The rooms are dropped whether or not `write` succeeds.
   */
  async rewrite<T>(names: readonly string[], write: () => Promise<T>): Promise<T> {
    const rooms: Room[] = [];
    try {
      for (const name of names) rooms.push(await this.get(name));
      await Promise.all(rooms.map((room) => room.quiesce()));
      return await write();
    } finally {
      for (const room of rooms) room.dropAfterRewrite();
    }
  }

  /**
   * Reads a room's committed state without keeping it in memory: a loaded room answers between
   * its batches; any other is read straight from storage (which holds only committed state), so
   * reading many rooms over HTTP does not fill memory with rooms nobody edits.
   */
  async read<T>(name: string, query: (doc: Y.Doc) => T): Promise<T> {
    const loaded = this.#loaded.get(name);
    if (loaded && !loaded.broken && !loaded.destroyed) return loaded.read(query);
    const doc = new Y.Doc();
    try {
      applyStored(doc, await this.#options.storage.load(name), () => {});
      return query(doc);
    } finally {
      doc.destroy();
    }
  }

  /** Unloads rooms that nobody uses; compacts their log first so the next load is one snapshot. */
  async sweep(now = this.#clock.now()): Promise<void> {
    if (this.#sweeping) return; // the timer may fire while a slow sweep still compacts
    this.#sweeping = true;
    try {
      for (const room of [...this.#loaded.values()]) {
        if (!this.#unloadable(room, now)) continue;
        try {
          await room.compactWhenIdle();
        } catch (error) {
          this.#options.log.warn('compaction before unload failed', { room: room.name, error: String(error) });
        }
        if (this.#unloadable(room, now)) this.#drop(room); // re-check: someone may have joined meanwhile
      }
    } finally {
      this.#sweeping = false;
    }
  }

  /** Waits for every room's queued writes (used on shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.#loaded.values()].map((room) => room.drained()));
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    clearInterval(this.#sweeper);
    if (this.#headChecker) clearInterval(this.#headChecker);
    await Promise.allSettled(this.#loading.values());
    await this.drain();
    for (const room of this.#loaded.values()) {
      try {
        await room.compactWhenIdle();
      } catch {
        // the log is still complete; compaction is only an optimisation
      }
      room.destroy();
    }
    this.#loaded.clear();
  }

  #unloadable(room: Room, now: number): boolean {
    return room.peerCount === 0 && room.idle && now - room.lastActive >= this.#options.idleUnloadMs;
  }

  #drop(room: Room): void {
    if (this.#loaded.get(room.name) === room) {
      this.#loaded.delete(room.name);
      const owner = this.#accountOwner(room.name);
      if (owner !== null) this.#releaseAccount(owner);
    }
    room.destroy();
  }

  /** The user whose storage quota a room counts against: a notes room's owner, when there is a quota. */
  #accountOwner(name: string): string | null {
    const room = parseStorageName(name);
    return this.#options.userStorageQuota !== undefined && room?.kind === 'notes' ? room.userId : null;
  }

  /** The user's account, counted from storage when none of their rooms is loaded yet. */
  #takeAccount(userId: string): Promise<StorageAccount> {
    let entry = this.#accounts.get(userId);
    if (!entry) {
      const quota = this.#options.userStorageQuota as number;
      const account = this.#options.storage.storedBytes(`notes/${userId}/`).then((used) => new StorageAccount(used, quota));
      entry = { account, rooms: 0 };
      this.#accounts.set(userId, entry);
      // A failed count is not kept: the next load counts again.
      account.catch(() => this.#accounts.get(userId) === entry && this.#accounts.delete(userId));
    }
    entry.rooms++;
    return entry.account;
  }

  #releaseAccount(userId: string): void {
    const entry = this.#accounts.get(userId);
    if (entry && --entry.rooms === 0) this.#accounts.delete(userId);
  }
}
