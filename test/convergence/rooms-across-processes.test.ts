/**
 * Real rooms in two or three server processes sharing one database and one fan-out, with clients
 * editing through them in random order while the run injects faults: failed appends (the room
 * breaks down and reloads), failed loads and compactions, fan-out messages lost, duplicated,
 * delayed, reordered and stripped of their data, a lost fan-out connection, compactions and
 * unloads at random points, timers fired at random times. Once the faults stop and everything is
 * delivered, every process's room holds exactly what a replay of storage gives, every
 * acknowledged intent is in it, and every client holds the same document. Throughout, every
 * update a client was told is stored, and everything the server sent it, was in storage already.
 *
 * Each seed replays the same run. RANDNOTER_CONVERGENCE_SEEDS sets how many seeds run (default
 * 300), RANDNOTER_CONVERGENCE_SEED runs one (the one a failure names).
 */
import { type Logger, silentLogger } from '@randnoter/server/log';
import type { StoredDoc } from '@randnoter/server/storage/doc-store';
import { applyStored } from '@randnoter/server/sync/live-doc';
import type { RoomLimits } from '@randnoter/server/sync/room';
import { testClock } from '@randnoter/server/sync/test-clock';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../support/seeded-random.ts';
import {
  Client,
  contentOf,
  type Holdings,
  holdingsOf,
  holds,
  MemoryStorage,
  Network,
  NO_FAULTS,
  type Random,
  ServerProcess,
  sameState,
  turns,
} from './room-processes.ts';

const ROOM = 'notes/u/p';
const SEEDS = Number(process.env.RANDNOTER_CONVERGENCE_SEEDS ?? 300);
const ONE_SEED = process.env.RANDNOTER_CONVERGENCE_SEED;

/** Errors the injected faults explain; any other error a room logs fails the run. */
const EXPECTED_ERRORS = ['commit failed; room dropped'];

interface Run {
  storage: MemoryStorage;
  network: Network;
  processes: ServerProcess[];
  clients: Client[];
  /** Intents whose change() resolved: key → value, both must be stored. */
  intents: Map<string, number>;
  errors: string[];
}

function limitsFor(random: Random): RoomLimits {
  return {
    maxDocBytes: 1 << 30,
    maxPresenceBytes: 1 << 20,
    maxUpdateStructs: 250_000,
    compactAfterUpdates: 1 + Math.floor(random() * 6),
    compactQuietMs: 10 + Math.floor(random() * 200),
    compactMaxWaitMs: 50 + Math.floor(random() * 600),
  };
}

function recordingLogger(errors: string[]): Logger {
  return { ...silentLogger, error: (msg) => void errors.push(msg) };
}

async function runSeed(seed: number): Promise<Run> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const processCount = 2 + Math.floor(random() * 2);
  const storage = new MemoryStorage(random);
  const network = new Network(random, processCount);
  const faults = { append: 0.04, load: 0.03, compact: 0.1, lose: 0.15, duplicate: 0.15, stripData: 0.05 };
  storage.faults = faults;
  network.faults = faults;
  const clock = testClock();
  const errors: string[] = [];
  const log = recordingLogger(errors);
  const limits = limitsFor(random);
  const processes = Array.from(
    { length: processCount },
    (_, id) => new ServerProcess({ id, room: ROOM, storage, network, limits, clock, log }),
  );
  const clients = Array.from(
    { length: 2 + Math.floor(random() * 3) },
    () => new Client(1 + Math.floor(random() * 2 ** 30), () => storage.now(ROOM)),
  );
  const intents = new Map<string, number>();
  const pending: Array<Promise<unknown>> = [];

  const connect = async (client: Client) => {
    const room = await pick(processes).use();
    // As Rooms.use: a room unloaded while this waited is not joined (the client tries again later).
    if (room && !room.broken && !room.destroyed && !client.socket) client.connect(room);
  };

  const steps = 40 + Math.floor(random() * 40);
  for (let step = 0; step < steps; step++) {
    const action = random();
    if (action < 0.3) {
      pick(clients).edit(random, step);
    } else if (action < 0.45) {
      for (const client of clients) client.socket?.flush(Math.floor(random() * 4));
    } else if (action < 0.55) {
      network.deliver(1 + Math.floor(random() * 4));
    } else if (action < 0.62) {
      clock.advance(Math.floor(random() * 400));
    } else if (action < 0.7) {
      const client = pick(clients);
      if (client.socket) client.disconnect();
      else await connect(client);
    } else if (action < 0.76) {
      // An intent: resolved means committed.
      const room = await pick(processes).use();
      const key = `intent-${step}`;
      if (room)
        pending.push(
          room
            .change((doc) => doc.getMap('s').set(key, step))
            .then(
              () => void intents.set(key, step),
              () => {},
            ),
        );
    } else if (action < 0.81) {
      const room = pick(processes).room;
      if (room?.idle) pending.push(room.compactWhenIdle().catch(() => {}));
    } else if (action < 0.85) {
      network.reconnect(Math.floor(random() * processCount));
    } else if (action < 0.89) {
      pick(processes).checkHead();
    } else if (action < 0.92) {
      pending.push(pick(processes).unloadIfIdle());
    }
    // Let some of the rooms' batches run before the next action, or not.
    await turns(Math.floor(random() * 3));
  }

  // Settle: no more faults; deliver, sync and fire timers until nothing moves.
  storage.faults = { ...NO_FAULTS };
  network.faults = { ...NO_FAULTS };
  for (let round = 0; round < 30; round++) {
    for (const process of processes) await process.use();
    for (const client of clients) if (!client.socket) await connect(client);
    network.deliver(network.inFlight.length);
    for (const client of clients) client.socket?.flush(Number.POSITIVE_INFINITY);
    clock.advance(1_000);
    for (const process of processes) process.checkHead();
    await Promise.all(processes.map((process) => process.room?.drained()));
    await turns(3);
    const quiet =
      network.inFlight.length === 0 &&
      clients.every((client) => client.socket && client.socket.outbox.length === 0) &&
      processes.every((process) => process.room && !process.room.broken && process.room.idle) &&
      clock.pending === 0;
    if (quiet && round >= 2) break;
  }
  await Promise.all(pending);
  return { storage, network, processes, clients, intents, errors };
}

/** The state a stored document replays to. */
function replay(stored: StoredDoc): Uint8Array {
  const doc = new Y.Doc();
  applyStored(doc, stored, (error) => {
    throw new Error(`storage holds an update that does not apply: ${String(error)}`);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

async function check(run: Run): Promise<void> {
  const truth = replay(run.storage.read(ROOM));

  expect(
    run.errors.filter((msg) => !EXPECTED_ERRORS.includes(msg)),
    'errors logged',
  ).toEqual([]);
  for (const [i, process] of run.processes.entries()) {
    const room = process.room;
    expect(room && !room.broken, `process ${i} holds a working room`).toBeTruthy();
    const state = await room?.read((doc) => Y.encodeStateAsUpdate(doc));
    if (!state || !sameState(state, truth)) {
      expect(contentOf(state ?? new Uint8Array([0, 0])), `process ${i}'s room against storage`).toEqual(contentOf(truth));
      throw new Error(`process ${i}'s room differs from storage in what it holds beyond the content`);
    }
  }
  // Write before relay: what a client was told is stored, or was sent, was in storage at that moment.
  const holdings = new Map<StoredDoc, Holdings>();
  for (const [i, client] of run.clients.entries()) {
    for (const { what, update, stored } of client.observed) {
      let held = holdings.get(stored);
      if (!held) {
        held = holdingsOf(stored);
        holdings.set(stored, held);
      }
      if (holds(held, update)) continue;
      const told = what === 'acknowledged' ? 'told an update is stored' : 'sent an update';
      throw new Error(`client ${i} was ${told} that storage did not hold then`);
    }
  }
  for (const [i, client] of run.clients.entries()) {
    const state = Y.encodeStateAsUpdate(client.doc);
    if (!sameState(state, truth)) expect(contentOf(state), `client ${i} against storage`).toEqual(contentOf(truth));
  }
  const storedIntents = contentOf(truth) as { s: Record<string, number> };
  for (const [key, value] of run.intents) expect(storedIntents.s[key], `acknowledged intent ${key}`).toBe(value);
}

async function runAndCheck(seed: number): Promise<void> {
  try {
    await check(await runSeed(seed));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`seed ${seed} (replay it with RANDNOTER_CONVERGENCE_SEED=${seed}): ${message}`, { cause: error });
  }
}

describe('rooms of several processes under random delivery and failures', () => {
  if (ONE_SEED !== undefined) {
    it(`converge for seed ${ONE_SEED}`, () => runAndCheck(Number(ONE_SEED)));
    return;
  }
  it(`converge on what storage holds, losing nothing acknowledged, for ${SEEDS} seeds`, { timeout: 600_000 }, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) await runAndCheck(seed);
  });
});
