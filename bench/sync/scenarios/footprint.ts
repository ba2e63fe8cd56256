/**
 * What a server costs before anyone uses it, and what it leaves on disk:
 *
 * 1. Fresh starts: `starts` times, the server is stopped gracefully and started again on its data
 *    directory (a new process; the data directory was initialised when the scenario began). Time
 *    to healthy: from spawning the process until `/health` first answers 200 (the peers answer
 *    every GET with 200). Idle RSS: read `idleAfterMs` after that answer, once the server is
 *    quiet, with no client connected.
 * 2. Files on disk: `comments` comments are written into one room (the write burst's streams),
 *    the server is stopped gracefully once quiet, and the files in its data directory are summed:
 *    what an administrator backs up and what the disk holds between restarts. Compared with the
 *    Yjs state of the room (`Y.encodeStateAsUpdate` of every comment): the document's own size.
 */
import * as Y from 'yjs';
import type { ServerUnderTest } from '../harness.ts';
import { median, round } from '../stats.ts';
import { streamsOf, timeBurst } from './write-burst.ts';

export interface FootprintParams {
  starts: number;
  /** How long after the first 200 from /health the idle RSS is read. */
  idleAfterMs: number;
  comments: number;
  writers: number;
}

export interface FootprintResult {
  /** Median of the starts: spawn until /health answers 200. */
  healthyMs: number;
  healthyRunsMs: number[];
  /** Median of the starts: RSS `idleAfterMs` after healthy. */
  idleRssBytes: number;
  idleRssRunsBytes: number[];
  /** Bytes of every file in the data directory after a graceful stop, and the files. */
  diskBytes: number;
  files: Record<string, number>;
  /** The room's Yjs state: every comment, encoded as one update. */
  stateBytes: number;
}

const ROOM = 'footprint';

export async function footprint(server: ServerUnderTest, params: FootprintParams): Promise<FootprintResult> {
  const healthyRunsMs: number[] = [];
  const idleRssRunsBytes: number[] = [];
  for (let start = 0; start < params.starts; start++) {
    await server.restart();
    healthyRunsMs.push(round(await server.healthyMs()));
    // A fixed point after start (the issue read RSS three seconds after the port accepted), and quiet.
    await new Promise((resolve) => setTimeout(resolve, params.idleAfterMs));
    if (!(await server.quiet(300, 5_000))) throw new Error(`${server.kind.id} was still busy ${params.idleAfterMs} ms after start`);
    idleRssRunsBytes.push(server.rss());
  }

  const streams = streamsOf(ROOM, params.comments, params.writers);
  await timeBurst(server, ROOM, streams);
  // Stopped only once quiet: the reference server's stop drops what its LevelDB queue still holds.
  await server.quiet();
  await server.stop();
  const files = server.filesOnDisk();
  return {
    healthyMs: round(median(healthyRunsMs)),
    healthyRunsMs,
    idleRssBytes: median(idleRssRunsBytes),
    idleRssRunsBytes,
    diskBytes: Object.values(files).reduce((sum, bytes) => sum + bytes, 0),
    files,
    stateBytes: stateOf(streams.flatMap((stream) => stream.updates)).byteLength,
  };
}

function stateOf(updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
