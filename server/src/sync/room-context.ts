/**
 * What the parts of one room share (room-parts.ts assembles them): one object, so a loaded room
 * holds it once instead of an options object and closures per part. Each part names the subset
 * it uses.
 */
import type { RoomLink } from '../fanout/fanout.ts';
import type { Logger } from '../log.ts';
import type { Clock } from './clock.ts';
import type { LiveDoc } from './live-doc.ts';
import type { RoomLimits, RoomStorage } from './room-options.ts';
import type { RoomSize } from './room-size.ts';
import type { Work } from './work-queue.ts';

/** What the parts ask of the room that holds them. */
export interface RoomHooks {
  /** Queues a read of what other processes committed (Room.catchUp). */
  catchUp(): void;
  /** Nothing queued or running: the doc holds exactly what is stored. */
  idle(): boolean;
  /** The room broke down: its doc may be ahead of storage and must never be stored or shown. */
  broken(): boolean;
  /** The doc may be ahead of storage: stop serving it (it reloads from storage); `inFlight` is lost. */
  breakDown(what: string, error: unknown, inFlight: readonly Work[]): void;
}

export interface RoomContext {
  readonly room: string;
  readonly storage: RoomStorage;
  readonly limits: RoomLimits;
  readonly log: Logger;
  readonly clock: Clock;
  /** The other processes, when there are any; null on a single server. */
  readonly link: RoomLink | null;
  readonly live: LiveDoc;
  readonly size: RoomSize;
  readonly hooks: RoomHooks;
}
