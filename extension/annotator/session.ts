/**
 * Who is reading which packet: the server identity, the user and their groups, and the packet's
 * id. Works offline from what the last online session remembered; a packet never seen before
 * gets the provisional id its fingerprint gives, and is re-homed when the server names it. The
 * token is the sign-in's through the organisation or a pasted one (auth/page-access.ts); a
 * sign-in's local copies are filed under its user, since its tokens change every few minutes.
 */

import { provisionalPacketId } from '@randnoter/shared/identity/packet-identity';
import type { Author } from '@randnoter/shared/model/annotation';
import type { MemberRole } from '@randnoter/shared/protocol/http-api';
import { browser } from 'wxt/browser';
import { pageAccessDeps } from '../auth/browser-auth.ts';
import { type Access, openAccess, withRenewal } from '../auth/page-access.ts';
import { type Problem, problemOf } from '../i18n/problems.ts';
import type { Settings } from '../settings/settings.ts';
import { adoptPacketId } from '../sync/adopt-packet-id.ts';
import { cacheNamespace, rememberedPacketId, rememberPacketId } from '../sync/local-cache.ts';
import { fetchMe, type Me, type PacketInfo, registerPacket, type ServerIdentity } from '../sync/server-api.ts';

export interface Session {
  signedIn: boolean;
  identity: ServerIdentity;
  /** Where the token comes from, and how to get a new one; null when not signed in. */
  access: Access | null;
  namespace: string;
  me: Author;
  myId: string | null;
  /** `role` and `closedAccess` as the server last said (older remembered sessions may lack them). */
  groups: Array<{ id: string; name: string; role?: MemberRole; closedAccess?: boolean }>;
  packetId: string;
  /** True when the server has not confirmed the packet id yet (offline first open). */
  provisional: boolean;
  /** Why the server could not be used, if it could not (a sentence in messages.ts). */
  problem: Problem | null;
}

export async function openSession(settings: Settings, packet: PacketInfo): Promise<Session> {
  const access = await openAccess(settings, pageAccessDeps);
  const provisionalId = provisionalPacketId(packet.fingerprint);
  const fallbackName = settings.displayName || 'Mig';
  if (!access) {
    return {
      signedIn: false,
      identity: { serverUrl: settings.serverUrl, token: '' },
      access: null,
      namespace: 'local',
      me: { id: 'local', name: fallbackName },
      myId: null,
      groups: [],
      packetId: provisionalId,
      provisional: true,
      problem: null,
    };
  }
  const { identity } = access;
  const namespace = await cacheNamespace(settings.serverUrl, access.user ? `user:${access.user.id}` : settings.token);
  const meKey = `${namespace}/me`;
  /** What the last online session remembered, for offline (or signed out by the server: "Log ind igen"). */
  const fromMemory = async (problem: Problem | null): Promise<Session> => {
    const remembered = (await browser.storage.local.get(meKey))[meKey] as Me | undefined;
    const packetId = (await rememberedPacketId(namespace, packet.fingerprint)) ?? provisionalId;
    return {
      signedIn: true,
      identity,
      access,
      namespace,
      // The server's name, as the last online session heard it: the one the user's comments will carry.
      me: { id: remembered?.id ?? 'me', name: remembered?.name || fallbackName },
      myId: remembered?.id ?? null,
      groups: remembered?.groups ?? [],
      packetId,
      provisional: packetId === provisionalId,
      problem,
    };
  };
  if (access.ended()) return fromMemory(null);
  try {
    const me = await withRenewal(access, () => fetchMe(identity));
    const registered = await withRenewal(access, () => registerPacket(identity, packet));
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
      access,
      namespace,
      me: { id: me.id, name: me.name },
      myId: me.id,
      groups: me.groups,
      packetId: registered.packetId,
      provisional: false,
      problem: null,
    };
  } catch (error) {
    return fromMemory(problemOf(error));
  }
}
