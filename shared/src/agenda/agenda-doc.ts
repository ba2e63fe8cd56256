/**
 * The agenda correction in a room's Y.Doc (doc-keys.ts: `agenda`). One value, replaced whole:
 * a correction is a structure, and merging two people's halves would make one neither meant.
 * Reading checks it like any other untrusted input (agenda/correction.ts).
 */
import type * as Y from 'yjs';
import type { Author } from '../model/annotation.ts';
import { AgendaField, DocKey } from '../model/doc-keys.ts';
import { type AgendaCorrection, readStoredCorrection, type StoredCorrection } from './correction.ts';

export function agendaMapOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(DocKey.agenda);
}

/** The correction the room holds, or null (none, removed, or malformed). */
export function readCorrection(doc: Y.Doc): StoredCorrection | null {
  const value = agendaMapOf(doc).get(AgendaField.correction);
  return value === undefined || value === null ? null : readStoredCorrection(value);
}

export function writeCorrection(doc: Y.Doc, correction: AgendaCorrection, by: Author | null, at: string): StoredCorrection {
  const stored: StoredCorrection = { ...correction, by, at };
  agendaMapOf(doc).set(AgendaField.correction, stored);
  return stored;
}

/** Removes the correction (null rather than a deleted key, so the removal itself syncs as a value). */
export function clearCorrection(doc: Y.Doc): void {
  agendaMapOf(doc).set(AgendaField.correction, null);
}
