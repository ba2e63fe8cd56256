/**
 * A user's erasure (docs/OPERATIONS.md, "Erasure"): the one function the command line, a user's
 * own request after its grace period, and any later feature call. In order:
 * 1. their access ends (tokens, sign-ins, memberships), so nothing new is written meanwhile;
 * 2. their notes rooms are removed;
 * 3. every group room (open or a closed item's) holding something of theirs is rebuilt without
 *    it (erase-author.ts): their comments and replies become "[slettet]" placeholders;
 * 4. their account rows go (erase-account.ts) and a record without content is written;
 * 5. the database's files are purged of the deleted bytes (SQLite: purge-deleted.ts).
 * Each step can run again: an erasure cut short (a crash) is finished by the next attempt.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../log.ts';
import type { DocStore, StoredDoc } from '../storage/doc-store.ts';
import { erasureOf, lockOut, recordErasure } from '../storage/erasures.ts';
import type { PurgeReport } from '../storage/purge-deleted.ts';
import type { Database, ErasedBy } from '../storage/schema.ts';
import { findUser } from '../storage/users.ts';
import type { Rooms } from '../sync/rooms.ts';
import { ACCOUNT_STEPS } from './erase-account.ts';
import { eraseAuthor, holdsTracesOf } from './erase-author.ts';
import { removeRooms } from './remove-rooms.ts';

export interface ErasureDeps {
  /**
   * Runs erasures and retention runs of this process one at a time (oneAtATime): an administrator's
   * erasure and the server's check for due ones may meet on the same user and rooms.
   */
  serially: Serially;
  db: Kysely<Database>;
  docs: DocStore;
  rooms: Rooms;
  purgeDeleted: () => Promise<PurgeReport | null>;
  clock: () => Date;
  log: Logger;
}

export interface ErasureReport {
  roomsRemoved: number;
  roomsRewritten: number;
  annotations: number;
  purge: PurgeReport | null;
}

export class ErasureError extends Error {}

export type Serially = <T>(run: () => Promise<T>) => Promise<T>;

/** One at a time, in the order asked; a failure does not stop the ones after it. */
export function oneAtATime(): Serially {
  let last: Promise<unknown> = Promise.resolve();
  return (run) => {
    const next = last.then(run, run);
    last = next.catch(() => {});
    return next;
  };
}

/** Group rooms, where others' comments live beside the user's. */
const GROUP_ROOM_PREFIXES = ['shared/', 'closed/'] as const;
/** Listing a user's notes rooms again after removing them: a socket open before the lock-out may have made one. */
const NOTES_PASSES = 3;

export function eraseUser(deps: ErasureDeps, userId: string, by: ErasedBy): Promise<ErasureReport> {
  return deps.serially(() => erase(deps, userId, by));
}

async function erase(deps: ErasureDeps, userId: string, by: ErasedBy): Promise<ErasureReport> {
  const { db, docs, rooms, clock, log } = deps;
  const notesPrefix = `notes/${userId}/`;
  const known = await findUser(db, userId);
  if (!known && (await docs.listRooms(notesPrefix)).length === 0) {
    // Erased already (by the other way of asking, say): what was done then.
    const done = await erasureOf(db, userId);
    if (done) return { roomsRemoved: done.roomsRemoved, roomsRewritten: done.roomsRewritten, annotations: done.annotations, purge: null };
    throw new ErasureError(`no user ${userId}`);
  }
  await lockOut(db, userId, clock().toISOString());

  let roomsRemoved = 0;
  for (let pass = 0; pass < NOTES_PASSES; pass++) {
    const notes = await docs.listRooms(notesPrefix);
    if (notes.length === 0) break;
    await removeRooms(deps, notes);
    roomsRemoved += notes.length;
  }

  let roomsRewritten = 0;
  let annotations = 0;
  for (const prefix of GROUP_ROOM_PREFIXES) {
    for (const name of await docs.listRooms(prefix)) {
      const erased = await eraseFromRoom(docs, rooms, name, userId);
      if (erased === null) continue;
      roomsRewritten++;
      annotations += erased;
    }
  }

  const record = {
    at: clock().toISOString(),
    subjectKind: 'user' as const,
    subjectId: userId,
    by,
    roomsRemoved,
    roomsRewritten,
    annotations,
  };
  await db.transaction().execute(async (trx) => {
    for (const step of ACCOUNT_STEPS) await step(trx, userId);
    await recordErasure(trx, record);
  });
  const purge = await deps.purgeDeleted();
  log.info('user erased', {
    user: userId,
    by,
    roomsRemoved,
    roomsRewritten,
    annotations,
    ...(purge ? { purgeMs: purge.ms, walEmptied: purge.walEmptied } : {}),
  });
  return { roomsRemoved, roomsRewritten, annotations, purge };
}

/** Rebuilds the room without the user's traces; null when it held none (then it is left as it is). */
async function eraseFromRoom(docs: DocStore, rooms: Rooms, name: string, userId: string): Promise<number | null> {
  // A cheap look first, without holding the room still: most rooms hold nothing of the user.
  if (!(await rooms.read(name, (doc) => holdsTracesOf(doc, userId)))) return null;
  let erased: number | null = null;
  await rooms.rewrite([name], () =>
    docs.rewrite(
      [name],
      (stored) => {
        const result = eraseAuthor(stored.get(name) as StoredDoc, userId);
        if (!result) return new Map();
        erased = result.erased;
        return new Map([[name, result.state]]);
      },
      async () => {},
    ),
  );
  return erased;
}
