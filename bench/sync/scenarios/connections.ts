/**
 * Connections held by one server process, in rooms of `roomSize`: open `target` clients (each
 * completes its first sync), then check every one is alive by having one client per room write a
 * comment that all the others must receive. RSS per connection, two ways:
 * - marginal: RSS growth from half the connections to all of them, over the connections added.
 *   What one more connection costs, without the fixed costs a process pays once as it grows
 *   (V8 enlarging its young generation and heap reserves in the first few thousand).
 * - average: growth from a warmed-up baseline (one full room open) to all connected, over the
 *   connections added: includes those fixed costs.
 *
 * The count is bounded by the per-process file-descriptor limit (`ulimit -n`): the server holds one
 * descriptor per socket and so does the load generator.
 */
import { commentStream } from '../comments.ts';
import { closeAll, openSynced, type ServerUnderTest, until } from '../harness.ts';
import type { SyncClient } from '../sync-client.ts';

export interface ConnectionsParams {
  target: number;
  roomSize: number;
}

export interface ConnectionsResult {
  opened: number;
  held: number;
  rssPerConnectionBytes: number;
  marginalRssPerConnectionBytes: number;
  baselineRssBytes: number;
  halfwayRssBytes: number;
  rssBytes: number;
  openSeconds: number;
}

export async function connections(server: ServerUnderTest, { target, roomSize }: ConnectionsParams): Promise<ConnectionsResult> {
  let heard = 0;
  const make = (index: number, localAddress: string) => {
    let first = true;
    return server.client(`conn-${Math.floor(index / roomSize)}`, {
      localAddress,
      applyRemote: false,
      // The writer of each room does not count: the reference server echoes an update to its sender.
      onRelayed: () => {
        if (first && index % roomSize !== 0) heard++;
        first = false;
      },
    });
  };
  const clients: SyncClient[] = [];
  try {
    clients.push(...(await openSynced(roomSize, make)));
    const baselineRssBytes = server.rss();
    const started = performance.now();
    // Halfway on a room boundary, so both halves hold whole rooms.
    const halfway = Math.max(roomSize, Math.round(target / 2 / roomSize) * roomSize);
    const openMore = async (until: number) => {
      const from = clients.length;
      const opened = await openSynced(until - from, (index, localAddress) => make(index + from, localAddress), {
        parallel: 200,
        timeoutMs: 300_000,
      });
      clients.push(...opened);
    };
    await openMore(halfway);
    const halfwayRssBytes = server.rss();
    await openMore(target);
    const openSeconds = (performance.now() - started) / 1000;
    const rssBytes = server.rss();
    const rooms = Math.ceil(target / roomSize);
    const ping = commentStream('alive', 1).updates[0] as Uint8Array;
    for (let room = 0; room < rooms; room++) clients[room * roomSize]?.sendUpdate(ping);
    await until(() => heard >= target - rooms, 60_000);
    const writersOpen = clients.filter((client, index) => index % roomSize === 0 && client.open).length;
    const held = heard + writersOpen;
    return {
      opened: clients.length,
      held,
      rssPerConnectionBytes: (rssBytes - baselineRssBytes) / (target - roomSize),
      marginalRssPerConnectionBytes: target > halfway ? (rssBytes - halfwayRssBytes) / (target - halfway) : Number.NaN,
      baselineRssBytes,
      halfwayRssBytes,
      rssBytes,
      openSeconds,
    };
  } finally {
    closeAll(clients);
  }
}
