/**
 * Memory per room: the server's RSS growth while `rooms` rooms are opened, each with one client
 * connected, first empty (idle rooms), then holding `comments` comments each (loaded rooms: the
 * client brings them in its first sync). Each step ends when every client's writes have been
 * handled (a sync round trip; on servers that acknowledge, the acknowledgement too).
 */
import * as Y from 'yjs';
import { roomState } from '../comments.ts';
import { closeAll, openSynced, type ServerUnderTest, settled } from '../harness.ts';
import type { SyncClient } from '../sync-client.ts';

export interface RoomMemoryParams {
  rooms: number;
  comments: number;
}

export interface RoomMemoryResult {
  idleRoomBytes: number;
  loadedRoomBytes: number;
  baselineRssBytes: number;
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
    const baselineRssBytes = server.rss();
    await open('idle', false);
    const afterIdle = server.rss();
    await open('loaded', true);
    const afterLoaded = server.rss();
    return {
      idleRoomBytes: (afterIdle - baselineRssBytes) / rooms,
      loadedRoomBytes: (afterLoaded - afterIdle) / rooms,
      baselineRssBytes,
    };
  } finally {
    closeAll(clients);
  }
}
