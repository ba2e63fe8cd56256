/**
 * One user's traces in a group's room (open or a closed item's), taken out: their comments and
 * replies keep their place in the thread as a placeholder ("[slettet]", no author, no tags, no
 * colour), so colleagues' replies still make sense; where they resolved a comment or shared the
 * group's agenda correction, their name goes and the fact stays. Pure: from the room as stored to
 * its new state, or null when the user left nothing there.
 */
import { AgendaField, DocKey, AnnotationField as F } from '@randnoter/shared/model/doc-keys';
import type * as Y from 'yjs';
import type { StoredDoc } from '../storage/doc-store.ts';
import { annotationFields, docOf, type Fields, rebuiltState } from './rebuild-doc.ts';

/** The body an erased comment keeps (Danish, as the extension's face: "deleted"). */
export const ERASED_BODY = '[slettet]';

/** A field not in doc-keys.ts yet: who a comment mentions (notifications); the erased user is taken out. */
const MENTIONS = 'mentions';

const byUser = (value: unknown, userId: string): boolean =>
  typeof value === 'object' && value !== null && (value as { id?: unknown }).id === userId;

function mentions(fields: Fields, userId: string): boolean {
  const list = fields.get(MENTIONS);
  return Array.isArray(list) && list.includes(userId);
}

function hasTrace(fields: Fields, userId: string): boolean {
  return byUser(fields.get(F.author), userId) || byUser(fields.get(F.resolvedBy), userId) || mentions(fields, userId);
}

export interface ErasedRoom {
  state: Uint8Array;
  /** Annotations written by the user, now placeholders. */
  erased: number;
}

/** Whether the user wrote, resolved, was mentioned in or shared anything of the room's document. */
export function holdsTracesOf(doc: Y.Doc, userId: string): boolean {
  const correction = doc.share.has(DocKey.agenda) ? doc.getMap(DocKey.agenda).get(AgendaField.correction) : undefined;
  if (typeof correction === 'object' && correction !== null && byUser((correction as { by?: unknown }).by, userId)) return true;
  return [...annotationFields(doc).values()].some((fields) => hasTrace(fields, userId));
}

export function eraseAuthor(stored: StoredDoc, userId: string): ErasedRoom | null {
  const doc = docOf(stored);
  try {
    if (!holdsTracesOf(doc, userId)) return null;
    let erased = 0;
    const state = rebuiltState(doc, {
      annotation(fields) {
        if (byUser(fields.get(F.author), userId)) {
          erased++;
          fields.set(F.author, null);
          fields.set(F.body, ERASED_BODY);
          fields.set(F.tags, []);
          fields.set(F.color, null);
        }
        if (byUser(fields.get(F.resolvedBy), userId)) fields.set(F.resolvedBy, null);
        if (mentions(fields, userId))
          fields.set(
            MENTIONS,
            (fields.get(MENTIONS) as unknown[]).filter((id) => id !== userId),
          );
      },
      agenda(fields) {
        const correction = fields.get(AgendaField.correction);
        if (typeof correction === 'object' && correction !== null && byUser((correction as { by?: unknown }).by, userId))
          fields.set(AgendaField.correction, { ...correction, by: null });
      },
    });
    return { state, erased };
  } finally {
    doc.destroy();
  }
}
