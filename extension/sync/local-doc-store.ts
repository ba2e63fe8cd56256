/**
 * Keeps a Y.Doc in browser.storage.local: the extension's own storage, which works the same in
 * the viewer tab and in the sidebar frame embedded in a web page (where IndexedDB is
 * partitioned or refused), in Chrome and Firefox. Every change is written at once; while a write
 * is in flight, further changes coalesce into the next one.
 */
import { fromBase64, toBase64 } from 'lib0/buffer';
import { browser } from 'wxt/browser';
import * as Y from 'yjs';

export interface LocalDocStore {
  /** Resolves when everything changed so far is written. */
  flush(): Promise<void>;
  /** Deletes the stored copy. */
  clear(): Promise<void>;
  destroy(): Promise<void>;
}

const keyOf = (name: string) => `doc/${name}`;

/** Loads the stored state into `doc`, then keeps storing it. */
export async function persistLocally(name: string, doc: Y.Doc): Promise<LocalDocStore> {
  const key = keyOf(name);
  const origin = Symbol('local-doc-store');
  const stored = (await browser.storage.local.get(key))[key];
  if (typeof stored === 'string' && stored.length > 0) Y.applyUpdate(doc, fromBase64(stored), origin);

  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const write = () => {
    if (dirty) return writing;
    dirty = true;
    writing = writing.then(async () => {
      dirty = false;
      await browser.storage.local.set({ [key]: toBase64(Y.encodeStateAsUpdate(doc)) });
    });
    return writing;
  };
  const onUpdate = (_update: Uint8Array, from: unknown) => {
    if (from !== origin) void write();
  };
  doc.on('update', onUpdate);
  return {
    flush: () => writing,
    async clear() {
      doc.off('update', onUpdate);
      await writing;
      await browser.storage.local.remove(key);
    },
    async destroy() {
      doc.off('update', onUpdate);
      await writing;
    },
  };
}
