/**
 * Propagation: R rooms of C clients; in each room one client writes a comment every `intervalMs`
 * (rooms staggered over the interval), the other C-1 receive it. Latency = the relayed frame's
 * arrival at a receiver minus the moment the writer sent it, same clock (one process). Receivers
 * do not apply what they receive (it saves the load generator's CPU): they find which comments a
 * frame carries by their ids' bytes (a server may merge several into one frame, as Hocuspocus does
 * within an event-loop turn). One receiver per room keeps what it receives and applies it after
 * the run: it must end up holding every comment. (Applying as it arrived put the load generator's
 * Yjs CPU, about 0.2 ms a comment, in front of the other receivers of the room.)
 *
 * The p99 rests on the slowest 1% of comments, a dozen per run, so one busy spell of a shared
 * machine moves it. run.ts therefore measures it in rounds, the servers taking turns, each round
 * on a fresh server process, and pools the samples of all rounds (`poolRounds`).
 */
import * as Y from 'yjs';
import { ANNOTATIONS, ArrivalCounter, type CommentStream, commentStream } from '../comments.ts';
import { closeAll, openSynced, type ServerUnderTest, until } from '../harness.ts';
import { type Distribution, distribution } from '../stats.ts';
import type { SyncClient } from '../sync-client.ts';

export interface PropagationParams {
  rooms: number;
  clientsPerRoom: number;
  intervalMs: number;
  /** Comments per room and round; the first `warmup` of each round are not measured. */
  writes: number;
  warmup: number;
  /** Rounds per server, interleaved with the other servers' (see run.ts). */
  rounds: number;
}

/** One round: its latency samples, kept until the rounds are pooled. */
export interface PropagationRound {
  samples: number[];
  delivered: number;
  expected: number;
  complete: boolean;
}

export interface PropagationResult {
  /** Over the samples of every round. */
  latencyMs: Distribution;
  /** Each round's own, in the order they ran. */
  rounds: Distribution[];
  delivered: number;
  expected: number;
  complete: boolean;
}

/** One round's result as it stands alone (for the progress log). */
export function summarizeRound(round: PropagationRound): Omit<PropagationRound, 'samples'> & { latencyMs: Distribution } {
  const { samples, ...rest } = round;
  return { latencyMs: distribution(samples), ...rest };
}

export function poolRounds(rounds: readonly PropagationRound[]): PropagationResult {
  return {
    latencyMs: distribution(rounds.flatMap((r) => r.samples)),
    rounds: rounds.map((r) => distribution(r.samples)),
    delivered: rounds.reduce((sum, r) => sum + r.delivered, 0),
    expected: rounds.reduce((sum, r) => sum + r.expected, 0),
    complete: rounds.every((r) => r.complete),
  };
}

export async function propagation(server: ServerUnderTest, params: PropagationParams): Promise<PropagationRound> {
  const { rooms, clientsPerRoom, intervalMs, writes, warmup } = params;
  const streams: CommentStream[] = Array.from({ length: rooms }, (_, r) => commentStream(`prop-${r}`, writes));
  const sentAt: number[][] = Array.from({ length: rooms }, () => []);
  const kept: Uint8Array[][] = Array.from({ length: rooms }, () => []);
  const samples: number[] = [];
  let delivered = 0;
  const clients = await openSynced(rooms * clientsPerRoom, (index, localAddress) => {
    const room = Math.floor(index / clientsPerRoom);
    const seat = index % clientsPerRoom;
    const arrivals = new ArrivalCounter((streams[room] as CommentStream).ids);
    return server.client(`prop-${room}`, {
      localAddress,
      applyRemote: false,
      ...(seat === 0
        ? {}
        : {
            onRelayed: (payload, arrivedAt) => {
              if (seat === 1) kept[room]?.push(payload);
              const added = arrivals.take(payload);
              for (let k = arrivals.arrived - added; k < arrivals.arrived; k++) {
                const sent = sentAt[room]?.[k];
                if (sent !== undefined && k >= warmup) samples.push(arrivedAt - sent);
              }
              delivered += added;
            },
          }),
    });
  });
  try {
    const writers = clients.filter((_, index) => index % clientsPerRoom === 0) as SyncClient[];
    const start = performance.now() + 50;
    await new Promise<void>((resolve) => {
      let pending = rooms * writes;
      writers.forEach((writer, room) => {
        const stream = streams[room] as CommentStream;
        const offset = (room * intervalMs) / rooms;
        const writeNext = (k: number) => {
          sentAt[room]?.push(performance.now());
          writer.sendUpdate(stream.updates[k] as Uint8Array);
          if (--pending === 0) resolve();
          if (k + 1 < writes) setTimeout(() => writeNext(k + 1), Math.max(0, start + offset + (k + 1) * intervalMs - performance.now()));
        };
        setTimeout(() => writeNext(0), Math.max(0, start + offset - performance.now()));
      });
    });
    const expected = rooms * (clientsPerRoom - 1) * writes;
    await until(() => delivered >= expected, 10_000);
    const complete = delivered === expected && kept.every((updates) => commentsIn(updates) === writes);
    return { samples, delivered, expected, complete };
  } finally {
    closeAll(clients);
  }
}

function commentsIn(updates: readonly Uint8Array[]): number {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap(ANNOTATIONS).size;
}
