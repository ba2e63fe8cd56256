/**
 * Who is reading which packet: the server identity, the user and their groups, and the packet's
 * id. Works offline from what the last online session remembered; a packet never seen before
 * gets the provisional id its fingerprint gives, and is re-homed when the server names it.
 */

import { provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import type { Author } from '@randnoter/shared/model/annotation';
import { browser } from 'wxt/browser';
import type { Settings } from '../settings/settings.ts';
import { adoptPacketId } from '../sync/adopt-packet-id.ts';
import { cacheNamespace, rememberedPacketId, rememberPacketId } from '../sync/local-cache.ts';
import { ApiError, fetchMe, type Me, type PacketInfo, registerPacket, type ServerIdentity } from '../sync/server-api.ts';

export interface Session {
  signedIn: boolean;
  identity: ServerIdentity;
  namespace: string;
  me: Author;
  myId: string | null;
  groups: Array<{ id: string; name: string }>;
  packetId: string;
  /** True when the server has not confirmed the packet id yet (offline first open). */
  provisional: boolean;
  /** Why the server could not be used, if it could not. */
  problem: string | null;
}

export async function openSession(settings: Settings, packet: PacketInfo): Promise<Session> {
  const identity = { serverUrl: settings.serverUrl, token: settings.token };
  const provisionalId = provisionalPacketId(packet.fingerprint);
  const fallbackName = settings.displayName || 'Mig';
  if (!settings.serverUrl || !settings.token) {
    return {
      signedIn: false,
      identity,
      namespace: 'local',
      me: { id: 'local', name: fallbackName },
      myId: null,
      groups: [],
      packetId: provisionalId,
      provisional: true,
      problem: null,
    };
  }
  const namespace = await cacheNamespace(settings.serverUrl, settings.token);
  const meKey = `${namespace}/me`;
  try {
    const me = await fetchMe(identity);
    const registered = await registerPacket(identity, packet);
    await browser.storage.local.set({ [meKey]: me });
    await rememberPacketId(namespace, packet.fingerprint, registered.packetId);
    if (registered.packetId !== provisionalId) {
      await adoptPacketId(
        namespace,
        provisionalId,
        registered.packetId,
        me.groups.map((g) => g.id),
      );
    }
    return {
      signedIn: true,
      identity,
      namespace,
      me: { id: me.id, name: settings.displayName || me.name },
      myId: me.id,
      groups: me.groups,
      packetId: registered.packetId,
      provisional: false,
      problem: null,
    };
  } catch (error) {
    const remembered = (await browser.storage.local.get(meKey))[meKey] as Me | undefined;
    const packetId = (await rememberedPacketId(namespace, packet.fingerprint)) ?? provisionalId;
    const problem = error instanceof ApiError && error.status > 0 ? error.message : null;
    return {
      signedIn: true,
      identity,
      namespace,
      me: { id: remembered?.id ?? 'me', name: settings.displayName || remembered?.name || fallbackName },
      myId: remembered?.id ?? null,
      groups: remembered?.groups ?? [],
      packetId,
      provisional: packetId === provisionalId,
      problem,
    };
  }
}
