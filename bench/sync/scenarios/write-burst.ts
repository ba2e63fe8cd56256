/**
 * Write burst and cold sync, on one room, in `rounds` rounds (each on a fresh server process,
 * interleaved with the other servers', see run.ts; the result is their median):
 *
 * 1. Throughput: after an untimed warm-up burst into another room (`warmup`), `writers` clients
 *    send `comments` comments (pre-generated updates, as fast as the socket takes them) into one room; an observer client finds them in what is relayed. A comment
 *    counts as accepted once it is relayed to the observer and, where the server acknowledges
 *    writes, acknowledged to its writer. Rate = comments / time from the first send to the last
 *    acceptance. One burst lasts about a second, so one round alone swings by a fifth on a
 *    shared machine.
 * 2. Cold full sync: the server is restarted (graceful stop), and a fresh client is timed from
 *    opening its socket to holding every comment. Repeated `restarts` times per round.
 */
import { ArrivalCounter, type CommentStream, commentStream } from '../comments.ts';
import { closeAll, openSynced, type ServerUnderTest, settled, until, within, yieldToIo } from '../harness.ts';
import { median, round } from '../stats.ts';
import type { SyncClient } from '../sync-client.ts';

export interface WriteBurstParams {
  comments: number;
  writers: number;
  /** Cold syncs per round. */
  restarts: number;
  /** Rounds per server, interleaved with the other servers' (see run.ts). */
  rounds: number;
  /**
   * Comments sent into another room first, untimed: a server runs warm (its hot paths compiled
   * by V8's optimizing tiers), and a fresh process would spend part of a one-second burst on that.
   */
  warmup: number;
}

/** One round: one burst, then `restarts` cold syncs. */
export interface WriteBurstRound {
  commentsPerSecond: number;
  acceptedMs: number;
  relayedMs: number;
  /** Null where the server has no acknowledgement. */
  ackedMs: number | null;
  coldSyncRunsMs: number[];
  coldSyncArrivedRunsMs: number[];
  complete: boolean;
}

/** The rounds pooled: medians of the bursts, and of every cold sync of every round. */
export interface WriteBurstResult {
  commentsPerSecond: number;
  /** Each round's rate, in the order they ran. */
  roundsPerSecond: number[];
  acceptedMs: number;
  relayedMs: number;
  /** Null where the server has no acknowledgement. */
  ackedMs: number | null;
  /** Median over all restarts: until the client holds every comment. */
  coldSyncMs: number;
  coldSyncRunsMs: number[];
  /** Median: until the frame that completed the state arrived (before the client applied it). */
  coldSyncArrivedMs: number;
  coldSyncArrivedRunsMs: number[];
  complete: boolean;
}

const ROOM = 'burst';
/** Where the warm-up burst goes: a room of its own, so the measured room starts empty. */
const WARMUP_ROOM = 'burst-warmup';
const SEND_CHUNK = 250;

export function poolWriteBursts(rounds: readonly WriteBurstRound[]): WriteBurstResult {
  const middle = (pick: (r: WriteBurstRound) => number) => round(median(rounds.map(pick)));
  const acked = rounds.map((r) => r.ackedMs);
  const coldSyncRunsMs = rounds.flatMap((r) => r.coldSyncRunsMs);
  const coldSyncArrivedRunsMs = rounds.flatMap((r) => r.coldSyncArrivedRunsMs);
  return {
    commentsPerSecond: round(median(rounds.map((r) => r.commentsPerSecond)), 0),
    roundsPerSecond: rounds.map((r) => r.commentsPerSecond),
    acceptedMs: middle((r) => r.acceptedMs),
    relayedMs: middle((r) => r.relayedMs),
    ackedMs: acked.every((ms) => ms !== null) ? round(median(acked as number[])) : null,
    coldSyncMs: round(median(coldSyncRunsMs)),
    coldSyncRunsMs,
    coldSyncArrivedMs: round(median(coldSyncArrivedRunsMs)),
    coldSyncArrivedRunsMs,
    complete: rounds.every((r) => r.complete),
  };
}

export async function writeBurst(server: ServerUnderTest, params: WriteBurstParams): Promise<WriteBurstRound> {
  const streams = streamsOf('burst', params.comments, params.writers);
  if (params.warmup > 0) await timeBurst(server, WARMUP_ROOM, streamsOf('warmup', params.warmup, params.writers));
  // What the warm-up left to do in the background is not timed with the burst.
  await server.quiet();
  const result = await timeBurst(server, ROOM, streams);
  const total = streams.reduce((n, s) => n + s.updates.length, 0);
  const coldSyncRunsMs: number[] = [];
  const arrivals: number[] = [];
  let complete = true;
  for (let run = 0; run < params.restarts; run++) {
    // Restarted only once quiet: the reference server's stop drops what its LevelDB queue still holds.
    await server.quiet();
    await server.restart();
    const { ms, arrivedMs, comments } = await timeFullSync(server, total);
    coldSyncRunsMs.push(round(ms));
    arrivals.push(round(arrivedMs));
    complete &&= comments === total;
  }
  return { ...result, coldSyncRunsMs, coldSyncArrivedRunsMs: arrivals, complete };
}

/** `comments` comments in all, split between `writers` writers. */
export function streamsOf(prefix: string, comments: number, writers: number): CommentStream[] {
  return Array.from({ length: writers }, (_, w) => commentStream(`${prefix}-${w}`, comments / writers));
}

/** One burst into `room` from one writer per stream, timed until every comment is accepted. */
export async function timeBurst(
  server: ServerUnderTest,
  room: string,
  streams: CommentStream[],
): Promise<Pick<WriteBurstRound, 'commentsPerSecond' | 'acceptedMs' | 'relayedMs' | 'ackedMs'>> {
  const total = streams.reduce((n, s) => n + s.updates.length, 0);
  // The observer finds the comments in what is relayed by their ids' bytes (see ArrivalCounter).
  const counters = streams.map((stream) => new ArrivalCounter(stream.ids));
  let relayed = 0;
  let relayedAt = 0;
  const clients = await openSynced(streams.length + 1, (index, localAddress) =>
    server.client(room, {
      localAddress,
      applyRemote: false,
      ...(index === streams.length
        ? {
            onRelayed: (payload, arrivedAt) => {
              for (const counter of counters) relayed += counter.take(payload);
              if (relayed === total && relayedAt === 0) relayedAt = arrivedAt;
            },
          }
        : {}),
    }),
  );
  try {
    const writers = clients.slice(0, streams.length) as SyncClient[];
    await Promise.all(writers.map((writer) => settled(server, writer)));
    const acks = server.kind.ackMode !== 'relay';
    let ackedAt = 0;
    const target = writers.map((writer, w) => writer.sent + (streams[w] as CommentStream).updates.length);
    const allAcked = () => writers.every((writer, w) => writer.acked >= (target[w] as number));
    for (const writer of writers)
      writer.onAck(() => {
        if (ackedAt === 0 && allAcked()) ackedAt = performance.now();
      });
    const started = performance.now();
    await sendAll(writers, streams);
    const done = await until(() => relayedAt > 0 && (!acks || ackedAt > 0), 120_000);
    if (!done) {
      throw new Error(`${server.kind.id}: ${relayed}/${total} relayed, acks ${writers.map((w) => w.acked).join(',')}`);
    }
    // A room that held these comments already would count them before they were sent.
    if (relayedAt < started) throw new Error(`${server.kind.id}: comments relayed before they were sent; the room was not fresh`);
    const acceptedAt = Math.max(relayedAt, acks ? ackedAt : 0);
    return {
      commentsPerSecond: round(total / ((acceptedAt - started) / 1000), 0),
      acceptedMs: round(acceptedAt - started),
      relayedMs: round(relayedAt - started),
      ackedMs: acks ? round(ackedAt - started) : null,
    };
  } finally {
    closeAll(clients);
  }
}

/** Every writer's stream, interleaved in chunks, yielding between chunks so acks are read. */
async function sendAll(writers: SyncClient[], streams: CommentStream[]): Promise<void> {
  const length = Math.max(...streams.map((s) => s.updates.length));
  for (let from = 0; from < length; from += SEND_CHUNK) {
    writers.forEach((writer, w) => {
      for (const update of (streams[w] as CommentStream).updates.slice(from, from + SEND_CHUNK)) writer.sendUpdate(update);
    });
    await yieldToIo();
  }
}

/** A fresh client, from opening its socket until its doc holds `expected` comments (or 30 s). */
async function timeFullSync(server: ServerUnderTest, expected: number): Promise<{ ms: number; arrivedMs: number; comments: number }> {
  const started = performance.now();
  const client = server.client(ROOM, { applyRemote: true });
  try {
    await within(client.whenComments(expected), 30_000, 'a cold full sync').catch(() => {});
    return { ms: performance.now() - started, arrivedMs: client.arrivedAt - started, comments: client.annotations.size };
  } finally {
    client.terminate();
  }
}
