/**
 * One room's part of an own-data export: its live annotations (all of them for a private notes
 * room, the person's own in a group's room) as a W3C AnnotationCollection in JSON, or null when
 * there are none. Plain data in and out, so it runs in a worker thread (own-room-thread.ts) as
 * well as in a command's own process.
 */
import { toCollection, toWebAnnotation } from '@randnoter/shared/model/web-annotation';
import type { StoredRoom } from '../export/export-job.ts';
import { readStoredRoom } from '../export/read-stored-room.ts';

export interface OwnRoomJob {
  room: StoredRoom;
  /** Only this author's annotations; null: all of them (the person's own notes room). */
  authorId: string | null;
  /** The document the annotations target when they do not name a version. */
  source: string;
  /** The collection's IRI and label. */
  id: string;
  label: string;
}

export function ownRoomJson(job: OwnRoomJob): string | null {
  const { annotations } = readStoredRoom(job.room);
  const own = job.authorId === null ? annotations : annotations.filter((a) => a.author?.id === job.authorId);
  if (own.length === 0) return null;
  return JSON.stringify(
    toCollection(
      own.map((a) => toWebAnnotation(a, job.source)),
      job.id,
      job.label,
    ),
  );
}

/** What reads a room's part: in a worker on a server, in-process in a command. */
export type ReadOwnRoom = (job: OwnRoomJob) => Promise<string | null>;
