/**
 * Fan-out between server processes that share rooms: what a room publishes (committed updates,
 * presence) reaches every other process that has the room loaded. The database stays the source
 * of truth; a message lost here is found again by seq (see docs/ARCHITECTURE.md).
 */
import type { RoomMessage } from './fanout-message.ts';

/** One loaded room's line to the other processes. */
export interface RoomLink {
  /** Sends to the other processes that have the room loaded; never waits. */
  publish(message: RoomMessage): void;
  /** Stops hearing the room. */
  close(): void;
}

export interface Fanout {
  /**
   * Starts hearing what other processes publish about `room`. Resolves once subscribed, so a
   * room loaded after this misses nothing committed after its load.
   */
  join(room: string, hear: (message: RoomMessage) => void): Promise<RoomLink>;
  /** `listener` runs each time the connection came back after a loss: messages may be missing. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** One process's line to the others for new notifications (docs/NOTIFICATIONS.md, "Live delivery"). */
export interface InboxLine {
  /** Tells the other processes about a notification for `userId` (its JSON); never waits. */
  publish(userId: string, json: string): void;
}

/** Notifications between processes: one channel for all users, heard by every process. */
export interface InboxFanout {
  /** `hear` gets what the other processes publish (never this process's own). Resolves once subscribed. */
  inbox(hear: (userId: string, json: string) => void): Promise<InboxLine>;
}
