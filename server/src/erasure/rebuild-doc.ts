/**
 * A room's document built anew from what it holds now, not edited: a Yjs delete keeps the deleted
 * entry's key and, until garbage collection, its history, and an update log keeps every update
 * ever stored. A fresh Y.Doc holding only the surviving values, stored as a room's whole state
 * (DocStore.rewrite), leaves nothing of the old words to read back.
 */
import { annotationsOf } from '@randnoter/shared/model/annotation-doc';
import { DocKey } from '@randnoter/shared/model/doc-keys';
import * as Y from 'yjs';
import type { StoredDoc } from '../storage/doc-store.ts';
import { applyStored } from '../sync/live-doc.ts';

/** One annotation's fields as plain values; a rewrite may change them before they are written. */
export type Fields = Map<string, unknown>;

/** What a rewrite does with each annotation (`fields` may be changed in place) and with the agenda's fields. */
export interface Rewrite {
  annotation(fields: Fields): void;
  agenda(fields: Fields): void;
}

const plain = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

export function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  // A stored update that does not apply is skipped, as a room's load skips it.
  applyStored(doc, stored, () => {});
  return doc;
}

/** The fields of every annotation of `doc`, keyed by its id (entries that are not maps are left out). */
export function annotationFields(doc: Y.Doc): Map<string, Fields> {
  const all = new Map<string, Fields>();
  for (const [id, entry] of annotationsOf(doc).entries()) {
    if (!(entry instanceof Y.Map)) continue;
    all.set(id, new Map([...entry.entries()].map(([field, value]) => [field, plain(value)])));
  }
  return all;
}

/** A new document's state: `doc`'s packet, agenda and every annotation, each field set once, as `rewrite` leaves them. */
export function rebuiltState(doc: Y.Doc, rewrite: Rewrite): Uint8Array {
  const fresh = new Y.Doc();
  try {
    fresh.transact(() => {
      if (doc.share.has(DocKey.packet)) {
        const to = fresh.getMap(DocKey.packet);
        for (const [field, value] of doc.getMap(DocKey.packet).entries()) to.set(field, plain(value));
      }
      if (doc.share.has(DocKey.agenda)) {
        const fields: Fields = new Map([...doc.getMap(DocKey.agenda).entries()].map(([f, v]) => [f, plain(v)]));
        rewrite.agenda(fields);
        const to = fresh.getMap(DocKey.agenda);
        for (const [field, value] of fields) to.set(field, value);
      }
      const annotations = annotationsOf(fresh);
      for (const [id, fields] of annotationFields(doc)) {
        rewrite.annotation(fields);
        const entry = new Y.Map<unknown>();
        annotations.set(id, entry);
        for (const [field, value] of fields) entry.set(field, value);
      }
    });
    return Y.encodeStateAsUpdate(fresh);
  } finally {
    fresh.destroy();
  }
}

/** What an empty Y.Doc encodes to. */
export function emptyState(): Uint8Array {
  return Y.encodeStateAsUpdate(new Y.Doc());
}
