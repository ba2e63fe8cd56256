/**
 * Removing rooms for good (an erased user's notes rooms, a packet's rooms past retention): their
 * storage is rewritten empty and then its rows deleted, in one transaction, with the rooms held
 * still meanwhile (Rooms.rewrite): their peers here and in the other processes are closed with
 * 1012 and find nothing when they reconnect.
 */
import type { Transaction } from 'kysely';
import type { DocStore } from '../storage/doc-store.ts';
import { removeRoomRows } from '../storage/erasures.ts';
import type { Database } from '../storage/schema.ts';
import type { Rooms } from '../sync/rooms.ts';
import { emptyState } from './rebuild-doc.ts';

/** Rooms removed per transaction: each is loaded and held still meanwhile. */
const ROOMS_PER_REWRITE = 50;

export interface RoomDeps {
  docs: DocStore;
  rooms: Rooms;
}

export async function removeRooms(
  { docs, rooms }: RoomDeps,
  names: readonly string[],
  alongside: (trx: Transaction<Database>) => Promise<void> = async () => {},
): Promise<void> {
  for (let i = 0; i < names.length; i += ROOMS_PER_REWRITE) {
    const chunk = names.slice(i, i + ROOMS_PER_REWRITE);
    const last = i + ROOMS_PER_REWRITE >= names.length;
    await rooms.rewrite(chunk, () =>
      docs.rewrite(
        chunk,
        () => new Map(chunk.map((name) => [name, emptyState()])),
        async (trx) => {
          await removeRoomRows(trx, chunk);
          if (last) await alongside(trx);
        },
      ),
    );
  }
}
