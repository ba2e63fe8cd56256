/**
 * A big update integrated in slices (server/src/sync/update-slices.ts) ends where the whole
 * update does, whatever the receiver already holds: seeded histories of several replicas editing
 * maps, nested maps, arrays and text (with surrogate pairs), synced now and then.
 */
import { readUpdate, sliceUpdate } from '@randnoter/server/sync/update-slices';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../support/seeded-random.ts';

/** Random edits by several replicas that sync now and then: maps, nested maps, arrays, text, deletes. */
function history(seed: number, replicas = 4, steps = 300): { docs: Y.Doc[]; updates: Uint8Array[] } {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const docs = Array.from({ length: replicas }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1_000 + i * 7 + seed;
    return doc;
  });
  const updates: Uint8Array[] = [];
  for (const doc of docs) doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let step = 0; step < steps; step++) {
    const doc = pick(docs);
    const roll = next();
    doc.transact(() => {
      const map = doc.getMap<unknown>('annotations');
      const list = doc.getArray<string>('list');
      const text = doc.getText('text');
      if (roll < 0.25) map.set(`k${Math.floor(next() * 12)}`, `${step}`.repeat(1 + Math.floor(next() * 5)));
      else if (roll < 0.35) map.delete(`k${Math.floor(next() * 12)}`);
      else if (roll < 0.45) {
        const entry = new Y.Map<unknown>();
        map.set(`n${Math.floor(next() * 6)}`, entry);
        entry.set('body', `note ${step}`);
        entry.set('deleted', false);
      } else if (roll < 0.55) {
        const entry = map.get(`n${Math.floor(next() * 6)}`);
        if (entry instanceof Y.Map) entry.set('body', `edited ${step} ${'ø'.repeat(Math.floor(next() * 3))}`);
      } else if (roll < 0.7) list.insert(Math.floor(next() * (list.length + 1)), [`i${step}`, `j${step}`]);
      else if (roll < 0.78 && list.length > 0) list.delete(Math.floor(next() * list.length), 1);
      else if (roll < 0.92) text.insert(Math.floor(next() * (text.length + 1)), `t${step}😀`);
      else if (text.length > 2) text.delete(Math.floor(next() * (text.length - 1)), 2);
    });
    if (next() < 0.2) {
      const [a, b] = [pick(docs), pick(docs)];
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
  return { docs, updates };
}

function contentOf(doc: Y.Doc): { pending: boolean } & Record<string, unknown> {
  return {
    map: doc.getMap('annotations').toJSON(),
    list: doc.getArray('list').toJSON(),
    text: doc.getText('text').toString(),
    state: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
  };
}

/** Applies `update` to `doc` in slices of random sizes (1 to maxSize structs, and a random byte budget). */
function applySliced(doc: Y.Doc, update: Uint8Array, next: () => number, maxSize: number): number {
  let slices = 0;
  for (const slice of sliceUpdate(
    readUpdate(update),
    Y.decodeStateVector(Y.encodeStateVector(doc)),
    () => 1 + Math.floor(next() * maxSize),
    1 + Math.floor(next() * 200),
  )) {
    Y.applyUpdate(doc, slice);
    slices++;
  }
  return slices;
}

describe('an update integrated in slices', () => {
  it('applies to exactly what the whole update does, whatever the receiver already holds (200 seeded histories)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = seededRandom(seed * 31);
      const { docs, updates } = history(seed);
      const source = docs[0] as Y.Doc;
      for (const doc of docs.slice(1)) Y.applyUpdate(source, Y.encodeStateAsUpdate(doc));
      // The receivers start from the same random subset of the history (so some of what the
      // update builds on may be missing: Yjs keeps that aside, sliced or not).
      const known = updates.filter(() => next() < 0.4);
      const whole = new Y.Doc();
      const sliced = new Y.Doc();
      for (const u of known) {
        Y.applyUpdate(whole, u);
        Y.applyUpdate(sliced, u);
      }
      const update = next() < 0.5 ? Y.encodeStateAsUpdate(source) : Y.mergeUpdates(updates.filter(() => next() < 0.5));
      Y.applyUpdate(whole, update);
      applySliced(sliced, update, next, 1 + Math.floor(next() * 20));
      // With nothing missing, the same at once. (With something missing, Yjs sets aside all that
      // follows it in the update; slices set aside only what waits for it, so the sliced replica
      // may hold more until the rest arrives.)
      if (!contentOf(whole).pending) expect(contentOf(sliced), `seed ${seed}`).toEqual(contentOf(whole));
      // And once the rest arrives, both hold everything.
      const rest = Y.encodeStateAsUpdate(source);
      Y.applyUpdate(whole, rest);
      Y.applyUpdate(sliced, rest);
      expect(contentOf(sliced), `seed ${seed}, then the rest`).toEqual(contentOf(whole));
    }
  }, 60_000);
});
