/**
 * Memory per room: the server's RSS growth while `rooms` rooms are opened, each with one client
 * connected, first empty (idle rooms), then holding `comments` comments each (loaded rooms: the
 * client brings them in its first sync). Each step ends when every client's writes have been
 * handled (a sync round trip; on servers that acknowledge, the acknowledgement too).
 *
 * RSS growth counts garbage the server has not collected yet, and how much of it a server leaves
 * lying is up to V8's heuristics of the moment. So each step also asks the server (started with
 * RETAINED_MEMORY_ARGS) for its heap and external memory after a full collection: what the rooms
 * actually hold.
 */
import * as Y from 'yjs';
import { roomState } from '../comments.ts';
import { closeAll, openSynced, type RetainedMemory, type ServerUnderTest, settled } from '../harness.ts';
import type { SyncClient } from '../sync-client.ts';

export interface RoomMemoryParams {
  rooms: number;
  comments: number;
}

export interface RoomMemoryResult {
  /** RSS growth per room, from a collected heap (garbage of the step included). */
  idleRoomBytes: number;
  loadedRoomBytes: number;
  baselineRssBytes: number;
  /** Heap and external memory per room after a full garbage collection. */
  retainedIdleRoomBytes: number;
  retainedLoadedRoomBytes: number;
}

export async function roomMemory(server: ServerUnderTest, { rooms, comments }: RoomMemoryParams): Promise<RoomMemoryResult> {
  const state = roomState(comments);
  const clients: SyncClient[] = [];
  const open = async (prefix: string, filled: boolean) => {
    const opened = await openSynced(rooms, (index, localAddress) => {
      const client = server.client(`${prefix}-${index}`, { localAddress, applyRemote: false });
      if (filled) Y.applyUpdate(client.doc, state);
      return client;
    });
    clients.push(...opened);
    await Promise.all(opened.map((client) => settled(server, client)));
  };
  try {
    await open('warmup', true); // code paths warmed up before the baseline
    // Every step starts from a collected heap: RSS growth is then the step's rooms and garbage.
    const baseline = await server.retainedMemory();
    await open('idle', false);
    const afterIdle = server.rss();
    const idle = await server.retainedMemory();
    await open('loaded', true);
    const afterLoaded = server.rss();
    const loaded = await server.retainedMemory();
    const held = (m: RetainedMemory) => m.heapUsed + m.external;
    return {
      idleRoomBytes: (afterIdle - baseline.rss) / rooms,
      loadedRoomBytes: (afterLoaded - idle.rss) / rooms,
      baselineRssBytes: baseline.rss,
      retainedIdleRoomBytes: (held(idle) - held(baseline)) / rooms,
      retainedLoadedRoomBytes: (held(loaded) - held(idle)) / rooms,
    };
  } finally {
    closeAll(clients);
  }
}
