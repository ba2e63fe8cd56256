/**
 * Small facts kept in browser.storage.local beside the local copies of rooms. Everything is
 * namespaced by server and token, so a second person signing in on the same browser profile
 * never sees, or syncs, the first one's notes.
 */
import { browser } from 'wxt/browser';

export async function cacheNamespace(serverUrl: string, token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${serverUrl}\n${token}`)));
  return `rn-${[...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Which packetId the server gave each fingerprint, so a known packet opens under its id offline too. */
export async function rememberedPacketId(namespace: string, fingerprint: string): Promise<string | undefined> {
  const key = `${namespace}/packet/${fingerprint}`;
  return (await browser.storage.local.get(key))[key] as string | undefined;
}

export async function rememberPacketId(namespace: string, fingerprint: string, packetId: string): Promise<void> {
  await browser.storage.local.set({ [`${namespace}/packet/${fingerprint}`]: packetId });
}
