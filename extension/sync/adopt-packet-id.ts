/**
 * Offline, a packet opened for the first time is kept under a provisional id derived from its
 * fingerprint. When the server later names the packet differently (it is a new version of a
 * known packet), the local notes and queued comments move to the real id. Yjs merges, so nothing
 * already there is overwritten.
 */
import { browser } from 'wxt/browser';
import * as Y from 'yjs';
import { persistLocally } from './local-doc-store.ts';
import { localNotesName } from './private-notes.ts';

export async function adoptPacketId(namespace: string, from: string, to: string, groupIds: readonly string[]): Promise<void> {
  if (from === to) return;
  const source = new Y.Doc();
  const target = new Y.Doc();
  const sourceStore = await persistLocally(localNotesName(namespace, from), source);
  const targetStore = await persistLocally(localNotesName(namespace, to), target);
  Y.applyUpdate(target, Y.encodeStateAsUpdate(source));
  await targetStore.destroy(); // resolves once the merged state is written
  await sourceStore.clear();
  source.destroy();
  target.destroy();
  for (const groupId of groupIds) {
    const fromKey = `${namespace}/outbox/${groupId}/${from}`;
    const toKey = `${namespace}/outbox/${groupId}/${to}`;
    const stored = await browser.storage.local.get([fromKey, toKey]);
    const moving = Array.isArray(stored[fromKey]) ? (stored[fromKey] as unknown[]) : [];
    if (moving.length === 0) continue;
    const existing = Array.isArray(stored[toKey]) ? (stored[toKey] as unknown[]) : [];
    await browser.storage.local.set({ [toKey]: [...existing, ...moving] });
    await browser.storage.local.remove(fromKey);
  }
}
