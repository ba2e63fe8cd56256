/**
 * Loaded rooms. A small concurrency protocol: concurrent loads of one room share a promise;
 * a room unloads only when it has no peers, nothing queued, and has been idle for a while;
 * after every await the state is checked again.
 */
import type { Logger } from '../log.ts';
import { Room, type RoomLimits, type RoomStorage } from './room.ts';

export interface RoomsOptions {
  storage: RoomStorage;
  limits: RoomLimits;
  log: Logger;
  /** Unload rooms idle (no peers, nothing queued) for this long. */
  idleUnloadMs: number;
}

export class Rooms {
  readonly #loaded = new Map<string, Room>();
  readonly #loading = new Map<string, Promise<Room>>();
  readonly #options: RoomsOptions;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: RoomsOptions) {
    this.#options = options;
    this.#sweeper = setInterval(() => void this.sweep(), Math.max(50, Math.min(options.idleUnloadMs, 10_000)));
    this.#sweeper.unref();
  }

  get loadedCount(): number {
    return this.#loaded.size;
  }

  peek(name: string): Room | undefined {
    return this.#loaded.get(name);
  }

  async get(name: string): Promise<Room> {
    const loaded = this.#loaded.get(name);
    if (loaded && !loaded.broken) return loaded;
    if (loaded?.broken) this.#drop(loaded);
    const pending = this.#loading.get(name);
    if (pending) return pending;
    const { storage, limits, log } = this.#options;
    const loading = Room.load(name, storage, limits, log).then(
      (room) => {
        this.#loading.delete(name);
        this.#loaded.set(name, room);
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

  /** Unloads rooms that nobody uses; compacts their log first so the next load is one snapshot. */
  async sweep(now = Date.now()): Promise<void> {
    for (const room of [...this.#loaded.values()]) {
      if (!this.#unloadable(room, now)) continue;
      try {
        await room.compactWhenIdle();
      } catch (error) {
        this.#options.log.warn('compaction before unload failed', { room: room.name, error: String(error) });
      }
      if (this.#unloadable(room, now)) this.#drop(room); // re-check: someone may have joined meanwhile
    }
  }

  /** Waits for every room's queued writes (used on shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.#loaded.values()].map((room) => room.drained()));
  }

  async destroy(): Promise<void> {
    clearInterval(this.#sweeper);
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
    return room.peers.size === 0 && room.idle && now - room.lastActive >= this.#options.idleUnloadMs;
  }

  #drop(room: Room): void {
    if (this.#loaded.get(room.name) === room) this.#loaded.delete(room.name);
    room.destroy();
  }
}
