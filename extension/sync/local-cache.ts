/**
 * Local, offline copies of rooms (IndexedDB, via y-indexeddb) and small facts kept in
 * browser.storage.local. Everything is namespaced by server and token, so a second person
 * signing in on the same browser profile never sees, or syncs, the first one's notes.
 */
import { browser } from 'wxt/browser';
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

export async function cacheNamespace(serverUrl: string, token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${serverUrl}\n${token}`)));
  return `rn-${[...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Keeps a Y.Doc in IndexedDB; resolves once the stored state is loaded into the doc. */
export async function persistLocally(name: string, doc: Y.Doc): Promise<IndexeddbPersistence> {
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  return persistence;
}

/** Which packetId the server gave each fingerprint, so a known packet opens under its id offline too. */
export async function rememberedPacketId(namespace: string, fingerprint: string): Promise<string | undefined> {
  const key = `${namespace}/packet/${fingerprint}`;
  return (await browser.storage.local.get(key))[key] as string | undefined;
}

export async function rememberPacketId(namespace: string, fingerprint: string, packetId: string): Promise<void> {
  await browser.storage.local.set({ [`${namespace}/packet/${fingerprint}`]: packetId });
}
