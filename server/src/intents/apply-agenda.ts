/**
 * The group's agenda correction, an intent like a comment (the server is the shared room's only
 * writer): a member's correction replaces the group's whole, with who and when from the token and
 * the server's clock; a removal leaves the group with its members' own corrections and detection.
 * Run inside Room.change(), so the answer comes after the commit.
 */

import { clearCorrection, readCorrection, writeCorrection } from '@randnoter/shared/agenda/agenda-doc';
import type { AgendaCorrection, StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { Author } from '@randnoter/shared/model/annotation';
import type * as Y from 'yjs';

export function setGroupAgenda(doc: Y.Doc, correction: AgendaCorrection, by: Author, now: string): StoredCorrection {
  return writeCorrection(doc, correction, by, now);
}

/** Removes the group's correction; repeating it changes nothing. */
export function clearGroupAgenda(doc: Y.Doc): void {
  if (readCorrection(doc) !== null) clearCorrection(doc);
}
