/**
 * A person's own data as one JSON document (docs/PROTOCOL.md, "Own-data export"), produced in
 * pieces so that it can be streamed: the rows about them, then one room at a time (its bytes
 * loaded, its part built by `readRoom`, in a worker thread on a server, then written and released),
 * then their access-log entries page by page. Memory holds one room and one page, whatever the
 * number of rooms; the server's thread only reads bytes and writes JSON.
 *
 * Annotations are W3C Web Annotations (shared/model/web-annotation.ts, as the JSON-LD export and
 * the annotation listings render them): each private note, and each shared comment or reply the
 * person wrote, in collections per packet (and group, and closed item).
 */
import { parseStorageName } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import { accessEntries } from '../storage/access-log.ts';
import { mayReadClosed } from '../storage/closed-items.ts';
import type { DocStore } from '../storage/doc-store.ts';
import type { Database } from '../storage/schema.ts';
import type { ReadOwnRoom } from './own-room.ts';
import {
  itemAccessChangesBy,
  membershipRowsOf,
  notificationsOf,
  packetAsRegistered,
  profileOf,
  registrationPage,
  signInsOf,
} from './stored-about-user.ts';

const OWN_DATA_FORMAT = 'randnoter-own-data/1';

export interface OwnDataDeps {
  db: Kysely<Database>;
  docs: Pick<DocStore, 'load' | 'listRooms'>;
  clock: () => Date;
  /** Builds a room's part (own-room.ts): in a worker thread on a server. */
  readRoom: ReadOwnRoom;
}

/** Rows read from the database at a time (registrations, access-log entries). */
const PAGE = 1_000;

const json = (value: unknown) => JSON.stringify(value);

/** Whether the user's id is in the room's bytes at all: Yjs stores strings as UTF-8, so a room without it holds nothing they wrote. */
function mentions(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }, userId: string): boolean {
  const needle = Buffer.from(userId, 'utf8');
  const has = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
  return (stored.snapshot !== null && has(stored.snapshot)) || stored.updates.some(has);
}

/** The user's person is unknown: nothing to export. */
export class NoSuchUser extends Error {}

/**
 * The pieces of the document, in order; joined they are one JSON object. Throws NoSuchUser before
 * the first piece when the user does not exist.
 */
export async function* ownDataJson(deps: OwnDataDeps, userId: string): AsyncGenerator<string> {
  const { db, docs } = deps;
  const profile = await profileOf(db, userId);
  if (!profile) throw new NoSuchUser(`no user ${userId}`);
  const memberships = await membershipRowsOf(db, userId);
  yield `{"format":${json(OWN_DATA_FORMAT)},"exported":${json(deps.clock().toISOString())},"user":${json(profile)}`;
  yield `,"memberships":${json(memberships)},"signIns":${json(await signInsOf(db, userId))}`;

  yield ',"packets":[';
  let after: { packetId: string; version: string } | null = null;
  let first = true;
  for (;;) {
    const page = await registrationPage(db, userId, after, PAGE);
    for (const r of page) {
      yield (first ? '' : ',') + json(r);
      first = false;
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = { packetId: last.packetId, version: last.version };
  }
  yield ']';

  const packetOf = async (packetId: string) => {
    const registered = await packetAsRegistered(db, userId, packetId);
    return {
      packet: { id: packetId, title: registered?.title ?? null, meetingDate: registered?.meetingDate ?? null },
      source: registered?.version ?? `urn:randnoter:packet:${packetId}`,
    };
  };

  yield ',"privateNotes":[';
  first = true;
  for (const name of await docs.listRooms(`notes/${userId}/`)) {
    const room = parseStorageName(name);
    if (room?.kind !== 'notes' || room.userId !== userId) continue;
    const { packet, source } = await packetOf(room.packetId);
    const id = `urn:randnoter:own-data:${userId}:notes:${room.packetId}`;
    const notes = await deps.readRoom({ room: await docs.load(name), authorId: null, source, id, label: 'Private noter' });
    if (notes !== null) {
      yield `${first ? '' : ','}{"packet":${json(packet)},"annotations":${notes}}`;
      first = false;
    }
  }
  yield ']';

  // Shared comments and replies they wrote, in the rooms they can still see: their groups' open
  // rooms, and the closed items they may read today.
  yield ',"sharedComments":[';
  first = true;
  for (const { group } of memberships) {
    const names = [...(await docs.listRooms(`shared/${group.id}/`)), ...(await docs.listRooms(`closed/${group.id}/`))];
    for (const name of names) {
      const room = parseStorageName(name);
      if (!room || room.kind === 'notes' || room.groupId !== group.id) continue;
      if (room.kind === 'closed' && !(await mayReadClosed(db, room, userId))) continue;
      const stored = await docs.load(name);
      if (!mentions(stored, userId)) continue;
      const itemNumber = room.kind === 'closed' ? room.itemNumber : null;
      const { packet, source } = await packetOf(room.packetId);
      const label = itemNumber === null ? `Delte kommentarer: ${group.name}` : `Lukket punkt ${itemNumber}: ${group.name}`;
      const id = `urn:randnoter:own-data:${userId}:${name}`;
      const own = await deps.readRoom({ room: stored, authorId: userId, source, id, label });
      if (own !== null) {
        yield `${first ? '' : ','}{"group":${json(group)},"packet":${json(packet)},"closedItem":${json(itemNumber)},"annotations":${own}}`;
        first = false;
      }
    }
  }
  yield ']';

  yield `,"itemAccessChanges":${json(await itemAccessChangesBy(db, userId))}`;

  yield ',"accessLog":[';
  first = true;
  let afterEntry: { at: string; id: number } | undefined;
  for (;;) {
    const page = await accessEntries(db, { userId, ...(afterEntry ? { after: afterEntry } : {}), limit: PAGE });
    for (const { id: _, ...entry } of page) {
      yield (first ? '' : ',') + json(entry);
      first = false;
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    afterEntry = { at: last.at, id: last.id };
  }
  yield ']';

  yield `,"notifications":${json(await notificationsOf(db, userId))}}\n`;
}
