/**
 * What crosses between the server's thread and an export worker: plain data, nothing live. The
 * rooms go as the bytes they are stored as (a snapshot and the updates after it), so building
 * their Y.Docs, the slow part of reading a big room, happens in the worker too; the file comes back
 * as bytes whose buffer is transferred, not copied.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { ExportFormat } from '@randnoter/shared/export/export-formats';
import type { ExportLanguage } from '@randnoter/shared/export/export-labels';

/** A room as storage holds it (DocStore.load): the snapshot, then the updates after it. */
export interface StoredRoom {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

export interface ExportJob {
  format: ExportFormat;
  title: string;
  /** The caller's private notes room. */
  notes: StoredRoom;
  /** The shared room of each group exported. */
  shared: { group: { id: string; name: string }; room: StoredRoom }[];
  /** The rooms of the closed items of those groups that the caller may read (docs/CLOSED-ITEMS.md), and nothing of the others. */
  closed: { group: { id: string; name: string }; itemNumber: number; room: StoredRoom }[];
  /** The caller's registered detection; agenda corrections in the rooms take precedence (export-worker.ts). */
  outline: AgendaOutline | null;
  /** The page count of the caller's newest registered version (null: not known), what a correction must fit. */
  pageCount: number | null;
  source: string;
  packetVersion: string | null;
  collectionId: string;
  language: ExportLanguage;
  includeEmptyItems: boolean;
  /** ISO time the export is dated. */
  now: string;
  /** Largest file the worker may hand back; a larger one is reported, not sent. */
  maxBytes: number;
}

/** Messages from a worker: `ready` once after start (renderers loaded), then one answer per job. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; bytes: Uint8Array; mediaType: string; extension: string }
  | { type: 'too-large'; size: number }
  /** `forUser`: the message is one line meant for the user (an ExportError), else it is for the log. */
  | { type: 'failed'; error: string; forUser: boolean };

/**
 * A stored room in buffers of its own, which can be transferred to a worker: a database driver's
 * bytes may be views on a buffer shared with other data, which a transfer would take away.
 */
export function ownedRoom(stored: StoredRoom): StoredRoom {
  return { snapshot: stored.snapshot ? new Uint8Array(stored.snapshot) : null, updates: stored.updates.map((u) => new Uint8Array(u)) };
}

/** The buffers a job's rooms hold, to transfer with it (each made by ownedRoom). */
export function jobBuffers(job: ExportJob): ArrayBuffer[] {
  const rooms = [job.notes, ...job.shared.map((s) => s.room), ...job.closed.map((c) => c.room)];
  return rooms.flatMap((room) => [...(room.snapshot ? [room.snapshot] : []), ...room.updates]).map((bytes) => bytes.buffer as ArrayBuffer);
}
