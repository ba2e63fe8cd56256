/**
 * How big each scenario runs. `full` is the table (bench:sync); `quick` is the same
 * scenarios, small enough for all three servers in well under 90 s (bench:quick, CI).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionsParams } from './scenarios/connections.ts';
import type { FootprintParams } from './scenarios/footprint.ts';
import type { IntentParams } from './scenarios/intents.ts';
import { KILL_POINTS, type KillParams } from './scenarios/kill.ts';
import type { PropagationParams } from './scenarios/propagation.ts';
import type { RoomMemoryParams } from './scenarios/room-memory.ts';
import type { WriteBurstParams } from './scenarios/write-burst.ts';

export interface Profile {
  propagation: PropagationParams;
  connections: ConnectionsParams;
  writeBurst: WriteBurstParams;
  kill: KillParams;
  roomMemory: RoomMemoryParams;
  intents: IntentParams;
  footprint: FootprintParams;
}

export type ProfileName = 'full' | 'quick';

const ROOM_SIZE = 20;
/** Descriptors a process keeps besides its sockets (stdio, database, listening socket, ...). */
const RESERVED_DESCRIPTORS = 200;

/** This process's open-file limit; children (the servers) inherit it. */
export function openFileLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

/** The issue asks for 20,000; one socket is one descriptor on each side, so the limit caps it. */
function connectionTarget(wanted: number): number {
  const fit = Math.min(wanted, openFileLimit() - RESERVED_DESCRIPTORS);
  return Math.max(ROOM_SIZE, fit - (fit % ROOM_SIZE));
}

export function profile(name: ProfileName): Profile {
  if (name === 'quick') {
    return {
      propagation: { rooms: 4, clientsPerRoom: 10, intervalMs: 100, writes: 12, warmup: 2, rounds: 2 },
      connections: { target: connectionTarget(1_000), roomSize: ROOM_SIZE },
      writeBurst: { comments: 2_000, writers: 2, restarts: 1, rounds: 1, warmup: 0 },
      kill: { burst: 500, steady: 10, points: KILL_POINTS },
      roomMemory: { rooms: 100, comments: 200 },
      intents: { clients: 10, intents: 22, intervalMs: 20, warmup: 2 },
      footprint: { starts: 3, idleAfterMs: 1_000, comments: 2_000, writers: 2 },
    };
  }
  return {
    propagation: { rooms: 20, clientsPerRoom: 50, intervalMs: 500, writes: 22, warmup: 2, rounds: 3 },
    connections: { target: connectionTarget(20_000), roomSize: ROOM_SIZE },
    writeBurst: { comments: 10_000, writers: 4, restarts: 1, rounds: 3, warmup: 4_000 },
    kill: { burst: 2_000, steady: 50, points: KILL_POINTS },
    roomMemory: { rooms: 500, comments: 200 },
    intents: { clients: 50, intents: 102, intervalMs: 50, warmup: 2 },
    footprint: { starts: 3, idleAfterMs: 3_000, comments: 10_000, writers: 4 },
  };
}
