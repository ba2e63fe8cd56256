import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MalformedUpdate, readUpdate, sliceUpdate } from './update-slices.ts';

describe('sliceUpdate', () => {
  it('orders slices so that a struct finds what it builds on, across clients', () => {
    // B edits what A wrote; B's client id sorts first, so in update order B's structs come first.
    const a = new Y.Doc();
    a.clientID = 900;
    const b = new Y.Doc();
    b.clientID = 100;
    const entry = new Y.Map<unknown>();
    a.getMap('annotations').set('n1', entry);
    entry.set('body', 'a');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    (b.getMap('annotations').get('n1') as Y.Map<unknown>).set('body', 'b');
    const update = Y.encodeStateAsUpdate(b);
    const doc = new Y.Doc();
    const slices = [...sliceUpdate(readUpdate(update), new Map(), () => 1)];
    expect(slices.length).toBeGreaterThan(2);
    for (const slice of slices) {
      Y.applyUpdate(doc, slice);
      // Never anything set aside on the way: each slice had what it needed.
      expect(doc.store.pendingStructs).toBeNull();
    }
    expect((doc.getMap('annotations').get('n1') as Y.Map<unknown>).get('body')).toBe('b');
  });

  it('closes a slice at its byte budget, whatever its count of structures', () => {
    const source = new Y.Doc();
    source.transact(() => {
      for (let i = 0; i < 20; i++) source.getMap('m').set(`k${i}`, 'x'.repeat(10_000));
    });
    const update = Y.encodeStateAsUpdate(source);
    const slices = [...sliceUpdate(readUpdate(update), new Map(), () => 512, 25_000)];
    // Three strings of 10 kB reach 25 kB: six slices of three and one of two.
    expect(slices).toHaveLength(7);
    for (const slice of slices) expect(slice.byteLength).toBeLessThan(25_000 + 10_100);
    const doc = new Y.Doc();
    for (const slice of slices) Y.applyUpdate(doc, slice);
    expect(doc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
  });

  it('counts structures, refusing an update past the budget before reading it all', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 1_000; i++) doc.getMap('m').set(`k${i}`, i);
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(readUpdate(update).structCount).toBe(1_000);
    expect(() => readUpdate(update, 999)).toThrow(/more than 999 structures/);
  });

  it('refuses a malformed update before anything of it is applied', () => {
    // A fixed client id of one byte: a random one may hold a 4 that the search below would take for the info byte.
    const doc = new Y.Doc();
    doc.clientID = 1;
    doc.getText('t').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(doc);
    expect(() => readUpdate(update.subarray(0, update.byteLength - 3))).toThrow();
    expect(() => readUpdate(new Uint8Array([...update, 7]))).toThrow(MalformedUpdate);
    const unknownContent = new Uint8Array(update);
    unknownContent[unknownContent.indexOf(4, 3)] = 11; // the string content's info byte → an unknown content ref
    expect(() => readUpdate(unknownContent)).toThrow();
  });
});
