/** A room's live annotations and agenda correction from its stored bytes (in an export worker, off the server's thread). */

import { readCorrection } from '@randnoter/shared/agenda/agenda-doc';
import type { StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { Annotation } from '@randnoter/shared/model/annotation';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import * as Y from 'yjs';
import type { StoredRoom } from './export-job.ts';

export interface RoomContent {
  annotations: Annotation[];
  correction: StoredCorrection | null;
}

export function readStoredRoom(room: StoredRoom): RoomContent {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const update of room.snapshot ? [room.snapshot, ...room.updates] : room.updates) {
        // The room itself skips an update that does not apply (Room.load); so does its export.
        try {
          Y.applyUpdate(doc, update);
        } catch {}
      }
    });
    return { annotations: readAnnotations(doc).filter((a) => !a.deleted), correction: readCorrection(doc) };
  } finally {
    doc.destroy();
  }
}
