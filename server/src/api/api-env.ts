/** What every /api route sees: the authenticated user, and the parts it may use. */
import type { Kysely } from 'kysely';
import type { AccessRecorder } from '../access-log/access-log-writer.ts';
import type { AuthorQuota } from '../intents/author-usage.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { DocStore } from '../storage/doc-store.ts';
import type { Database, User } from '../storage/schema.ts';
import type { KeyedRateLimits } from '../sync/keyed-rate.ts';
import type { Rooms } from '../sync/rooms.ts';

export type ApiEnv = { Variables: { user: User } };

/** A shared room a request names, once the caller is known to be a member (shared-room.ts), or a closed item's room they may read (closed-room.ts). */
interface SharedRoomRef {
  /** The storage name, `shared/<groupId>/<packetId>` or `closed/<groupId>/<packetId>/<itemNumber>`. */
  name: string;
  groupId: string;
  packetId: string;
  /** A closed item's room: its item number; null for the group's open room. */
  itemNumber: number | null;
}

/** What routes under /api/groups/:groupId/packets/:packetId see: the user and the room. */
export type SharedRoomEnv = { Variables: { user: User; room: SharedRoomRef } };

export interface ApiDeps {
  db: Kysely<Database>;
  docs: DocStore;
  rooms: Rooms;
  log: Logger;
  metrics: Metrics;
  clock: () => Date;
  /** What one member may write in one shared room. */
  sharedAuthorQuota: AuthorQuota;
  /** How often one member may replace a shared room's agenda correction. */
  agendaCorrectionRate: KeyedRateLimits;
  /**
   * An item's access changed here: what is held of closed items is read again, and open sockets
   * that may no longer read a closed item's room are closed (docs/CLOSED-ITEMS.md).
   */
  closedAccessChanged: () => Promise<void>;
  /** Who read which group's room and who exported what (docs/OPERATIONS.md, "Access log"). */
  access: AccessRecorder;
  /** Makes and delivers notifications when an intent is applied (docs/NOTIFICATIONS.md). */
  notifier: Notifier;
  /** Notifications per page, and what e-mail's unsubscribe links are signed with. */
  notifications: { pageSize: number; unsubscribeKey: () => Promise<string> };
}

/** Every "you may not see this" and "this does not exist" is this one answer. */
export const NOT_FOUND = { error: 'not found' } as const;
