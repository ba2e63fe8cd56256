/**
 * A room's parts, one job each, wired to each other: the live doc and its relay (live-doc.ts),
 * presence (room-presence.ts), the stored size (room-size.ts) and compaction (compaction.ts),
 * catching up with other server processes (catch-up.ts), the write-before-relay loop
 * (write-before-relay.ts, peer-updates.ts) and the queue that runs it in batches (work-queue.ts).
 * Room holds them and is the only one that calls them.
 */
import * as Y from 'yjs';
import type { RoomLink } from '../fanout/fanout.ts';
import type { StoredDoc } from '../storage/doc-store.ts';
import { CatchUp } from './catch-up.ts';
import type { Clock } from './clock.ts';
import { Compaction } from './compaction.ts';
import { LiveDoc } from './live-doc.ts';
import { NextTurn } from './next-turn.ts';
import type { RoomOptions } from './room-options.ts';
import { RoomPresence } from './room-presence.ts';
import { RoomSize } from './room-size.ts';
import { type Work, WorkQueue } from './work-queue.ts';
import { WriteBeforeRelay } from './write-before-relay.ts';

/** What the parts ask of the room that holds them. */
export interface RoomHooks {
  /** Queues a read of what other processes committed (Room.catchUp). */
  catchUp(): void;
  idle(): boolean;
  broken(): boolean;
  /** The doc may be ahead of storage: stop serving it (it reloads from storage). */
  breakDown(what: string, error: unknown, inFlight: readonly Work[]): void;
}

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
  const presence = new RoomPresence(name, live.doc, live.peers, (m) => link?.publish(m), log, limits.maxPresenceBytes);
  const size = new RoomSize(stored, limits.maxDocBytes, options.account ?? null);
  const parts = { room: name, live, size, clock, log };
  const catchUp = new CatchUp({ ...parts, loadedSeq: stored.seq, load: (after) => storage.load(name, after), request: hooks.catchUp });
  const compaction = new Compaction({
    ...parts,
    limits,
    state: () => ({ snapshot: Y.encodeStateAsUpdate(live.doc), seq: catchUp.through }),
    store: (snapshot, seq) => storage.compact(name, snapshot, seq),
    idle: hooks.idle,
    broken: hooks.broken,
  });
  const { maxUpdateStructs } = limits;
  const writer = new WriteBeforeRelay({ ...parts, catchUp, compaction, storage, link, maxUpdateStructs, breakDown: hooks.breakDown });
  const queue = new WorkQueue({
    turn: options.turn ?? new NextTurn(),
    clock,
    process: (batch) => writer.process(batch),
    // Unexpected: the doc may be ahead of storage.
    failed: (error, batch) => hooks.breakDown('room batch failed', error, batch),
    stopped: hooks.broken,
  });
  return { live, presence, size, catchUp, compaction, queue };
}
