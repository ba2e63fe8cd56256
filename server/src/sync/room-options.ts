/** What a room is made of: its storage, limits and the process's shared parts (see Room.load). */
import type { Fanout } from '../fanout/fanout.ts';
import type { Logger } from '../log.ts';
import type { DocStore } from '../storage/doc-store.ts';
import type { PresenceRedactor } from './awareness-filter.ts';
import type { Clock } from './clock.ts';
import type { NextTurn } from './next-turn.ts';
import type { StorageAccount } from './storage-account.ts';

/** What a room needs from storage; `append` is the group-commit queue in front of DocStore.append. */
export type RoomStorage = Pick<DocStore, 'load' | 'append' | 'appendExclusive' | 'compact'>;

export interface CompactionLimits {
  /**
   * Fold the update log into a snapshot after this many updates, once the log is also at least as
   * big as the snapshot (so a growing document is not re-encoded whole every few updates).
   */
  compactAfterUpdates: number;
  /**
   * A due compaction waits for this long without a write, so a burst of writes is not slowed
   * by re-encoding the whole document in its middle...
   */
  compactQuietMs: number;
  /** ...but not for longer than this, so a room that is never quiet still compacts. */
  compactMaxWaitMs: number;
}

export interface RoomLimits extends CompactionLimits {
  /** A document whose stored size would pass this refuses further writes. */
  maxDocBytes: number;
  /** Presence states of all peers together, JSON characters; an update past it is dropped. */
  maxPresenceBytes: number;
  /** Structures one update may hold; a peer sending more is closed with 4413. */
  maxUpdateStructs: number;
}

export interface RoomOptions {
  name: string;
  storage: RoomStorage;
  limits: RoomLimits;
  log: Logger;
  /** Other server processes sharing the room (Redis); absent on a single process. */
  fanout?: Fanout | null;
  /** Shared by a process's rooms: their batches of one turn start, and commit, together. */
  turn?: NextTurn;
  /** A notes room's user's storage across their rooms, for their quota. */
  account?: StorageAccount | null;
  clock?: Clock;
  /** What the room's presence must not show of its peers (room-presence.ts). */
  redactPresence?: PresenceRedactor;
}
