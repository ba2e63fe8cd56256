/**
 * `randnoter admin user export <user> -o FILE`: the person's own data (the same document as
 * GET /api/me/export) written to a new file as it is read, then recorded in the access log as an
 * own-data export through the command line. An existing file is never overwritten.
 */
import { open, rm } from 'node:fs/promises';
import { insertAccessEntries } from '../storage/access-log.ts';
import { NoSuchUser, type OwnDataDeps, ownDataJson } from './own-data-json.ts';
import { ownRoomJson } from './own-room.ts';

/** Resolves to the bytes written; rejects with NoSuchUser (no file made) or the file system's error. */
export async function writeOwnData(deps: Omit<OwnDataDeps, 'readRoom'>, userId: string, file: string): Promise<number> {
  // A command's process serves nobody else: rooms are read in it.
  const pieces = ownDataJson({ ...deps, readRoom: async (job) => ownRoomJson(job) }, userId);
  // The first piece proves the user exists, before any file is made.
  const first = await pieces.next();
  if (first.done) throw new NoSuchUser(`no user ${userId}`);
  const handle = await open(file, 'wx');
  let bytes = 0;
  try {
    const write = async (text: string) => {
      const { bytesWritten } = await handle.write(text);
      bytes += bytesWritten;
    };
    await write(first.value);
    for await (const piece of pieces) await write(piece);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  const at = deps.clock().toISOString();
  await insertAccessEntries(deps.db, [
    { at, userId, action: 'own-data', via: 'command', groupId: null, packetId: null, itemNumber: null, detail: 'json' },
  ]);
  return bytes;
}
