/**
 * A room's parts, one job each, wired to each other: the live doc and its relay (live-doc.ts),
 * presence (room-presence.ts), the stored size (room-size.ts) and compaction (compaction.ts),
 * catching up with other server processes (catch-up.ts), the write-before-relay loop
 * (write-before-relay.ts, peer-updates.ts) and the queue that runs it in batches (work-queue.ts).
 * They share one RoomContext (room-context.ts). Room holds them and is the only one that calls them.
 */
import type { RoomLink } from '../fanout/fanout.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import { CatchUp } from './catch-up.ts';
import type { Clock } from './clock.ts';
import { Compaction } from './compaction.ts';
import { LiveDoc } from './live-doc.ts';
import { NextTurn } from './next-turn.ts';
import type { RoomContext, RoomHooks } from './room-context.ts';
import type { RoomOptions } from './room-options.ts';
import { RoomPresence } from './room-presence.ts';
import { RoomSize } from './room-size.ts';
import { WorkQueue } from './work-queue.ts';
import { WriteBeforeRelay } from './write-before-relay.ts';

export interface RoomParts {
  live: LiveDoc;
  presence: RoomPresence;
  size: RoomSize;
  catchUp: CatchUp;
  compaction: Compaction;
  queue: WorkQueue;
}

export function assembleRoom(
  options: RoomOptions & { clock: Clock },
  stored: StoredDoc,
  link: RoomLink | null,
  hooks: RoomHooks,
): RoomParts {
  const { name, storage, limits, log, clock } = options;
  const live = new LiveDoc();
  const presence = new RoomPresence(
    name,
    live.doc,
    live.peers,
    (m) => link?.publish(m),
    log,
    limits.maxPresenceBytes,
    options.redactPresence,
  );
  const size = new RoomSize(stored, limits.maxDocBytes, options.account ?? null);
  const ctx: RoomContext = { room: name, storage, limits, log, clock, link, live, size, hooks };
  const catchUp = new CatchUp(ctx, stored.seq);
  const compaction = new Compaction(ctx, catchUp);
  const queue = new WorkQueue(options.turn ?? new NextTurn(), clock, new WriteBeforeRelay(ctx, catchUp, compaction));
  return { live, presence, size, catchUp, compaction, queue };
}
