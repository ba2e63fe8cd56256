/**
 * Moving comments between a group's open room and a closed item's room when the item is closed or
 * opened (docs/CLOSED-ITEMS.md): plain functions from the rooms as stored to their new states.
 * The room the comments leave is rebuilt as a new document holding everything else, not edited:
 * a Yjs delete keeps the deleted entry's key (the comment's id) and its history in the document,
 * and the comments must leave no trace for a later reader of that room.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { Annotation } from '@randnoter/shared/model/annotation';
import { copyAnnotation, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { DocKey } from '@randnoter/shared/model/doc-keys';
import * as Y from 'yjs';
import type { StoredDoc } from '../storage/doc-store.ts';
import { applyStored } from '../sync/live-doc.ts';
import { itemOfTarget } from './place-target.ts';

export interface MovedStates {
  open: Uint8Array;
  closed: Uint8Array;
  /** Annotations moved (comments, their replies and tombstones). */
  moved: number;
}

function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  // A stored update that does not apply is skipped, as a room's load skips it.
  applyStored(doc, stored, () => {});
  return doc;
}

/** A new document with `doc`'s packet and agenda and only the annotations `keep`. */
function rebuilt(doc: Y.Doc, keep: readonly Annotation[]): Uint8Array {
  const fresh = new Y.Doc();
  try {
    fresh.transact(() => {
      for (const key of [DocKey.packet, DocKey.agenda]) {
        if (!doc.share.has(key)) continue;
        const to = fresh.getMap(key);
        for (const [field, value] of doc.getMap(key).entries()) to.set(field, value instanceof Y.AbstractType ? value.toJSON() : value);
      }
      for (const annotation of keep) copyAnnotation(fresh, annotation);
    });
    return Y.encodeStateAsUpdate(fresh);
  } finally {
    fresh.destroy();
  }
}

/** Copies `moving` into `doc` (an id already there stays as it is) and encodes it. */
function withAdded(doc: Y.Doc, moving: readonly Annotation[]): Uint8Array {
  doc.transact(() => {
    for (const annotation of moving) copyAnnotation(doc, annotation);
  });
  return Y.encodeStateAsUpdate(doc);
}

/** The comments on `itemNumber` (and tombstones placed there), and every reply to one of them, at any depth. */
function onItem(all: readonly Annotation[], itemNumber: number, outline: AgendaOutline | undefined): Set<string> {
  const ids = new Set(all.map((a) => a.id));
  // A reply goes where its comment goes; one whose comment is not in the room is placed itself.
  const roots = all.filter((a) => a.kind !== 'reply' || a.replyTo === null || !ids.has(a.replyTo));
  const moved = new Set(roots.filter((a) => itemOfTarget(a.target, outline) === itemNumber).map((a) => a.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of all) {
      if (a.replyTo !== null && moved.has(a.replyTo) && !moved.has(a.id)) {
        moved.add(a.id);
        grew = true;
      }
    }
  }
  return moved;
}

/** How many annotations of `doc` (a group's open room) lie on the item, replies and tombstones included. */
export function countOnItem(doc: Y.Doc, itemNumber: number, outline: AgendaOutline | undefined): number {
  return onItem(readAnnotations(doc), itemNumber, outline).size;
}

/** Closing an item: its comments leave the open room (rebuilt without them) for the item's room. */
export function moveIntoClosed(open: StoredDoc, closed: StoredDoc, itemNumber: number, outline: AgendaOutline | undefined): MovedStates {
  const [openDoc, closedDoc] = [docOf(open), docOf(closed)];
  try {
    const all = readAnnotations(openDoc);
    const moving = onItem(all, itemNumber, outline);
    return {
      open: rebuilt(
        openDoc,
        all.filter((a) => !moving.has(a.id)),
      ),
      closed: withAdded(
        closedDoc,
        all.filter((a) => moving.has(a.id)),
      ),
      moved: moving.size,
    };
  } finally {
    openDoc.destroy();
    closedDoc.destroy();
  }
}

/** Opening an item: everything in its room goes back to the open room; the item's room is left empty. */
export function moveBackToOpen(open: StoredDoc, closed: StoredDoc): MovedStates {
  const [openDoc, closedDoc] = [docOf(open), docOf(closed)];
  try {
    const moving = readAnnotations(closedDoc);
    return { open: withAdded(openDoc, moving), closed: rebuilt(new Y.Doc(), []), moved: moving.length };
  } finally {
    openDoc.destroy();
    closedDoc.destroy();
  }
}
