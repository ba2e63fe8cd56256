/**
 * A group's shared comments on one packet: the shared room (read-only Y.Doc, kept offline in
 * IndexedDB) plus the outbox of intents not yet stored by the server. What the UI shows is the
 * room's content with the outbox applied on top, so a comment written offline appears at once,
 * marked pending, and is replaced by the stored one when the server has it.
 *
 * A closed agenda item's comments live in a room of their own (docs/CLOSED-ITEMS.md): the
 * packet's closed items are asked for on opening and every few seconds, each item the user may
 * read gets its room (read-only, kept locally like the group's), and a room the user may no
 * longer read is dropped with its local copy. Comments are routed by their target's item.
 */

import { type Annotation, type AnnotationDraft, AnnotationKind, type Author } from '@randnoter/shared/model/annotation';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { AnnotationPatchInput, ClosedItemView, GroupMember } from '@randnoter/shared/protocol/http-api';
import { providerRoomName } from '@randnoter/shared/protocol/rooms';
import { browser } from 'wxt/browser';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type ClosedItems, itemNamedByConflict, routeOf } from './closed-routing.ts';
import { type LocalDocStore, persistLocally } from './local-doc-store.ts';
import { type Intent, Outbox } from './outbox.ts';
import { connectRoom, type RoomConnection } from './room-connection.ts';
import { intentSender } from './send-intent.ts';
import { fetchAudience, fetchClosedItems, fetchGroupMembers, type ServerIdentity, setItemAccess } from './server-api.ts';

interface SharedAnnotation extends Annotation {
  groupId: string;
  /** The closed item whose room holds it; null for the group's open room. */
  itemNumber: number | null;
  pending: boolean;
}

interface GroupRoom {
  readonly groupId: string;
  readonly groupName: string;
  readonly doc: Y.Doc;
  readonly connection: RoomConnection | null;
  readonly awareness: Awareness | null;
  readonly outbox: Outbox;
}

/** A closed item's room: its presence is never shown (nobody learns who reads a closed item). */
interface ItemRoom {
  readonly groupId: string;
  readonly itemNumber: number;
  readonly doc: Y.Doc;
  readonly local: LocalDocStore;
  readonly connection: RoomConnection | null;
  readonly outbox: Outbox;
  readonly stop: () => void;
}

export interface SharedComments {
  /** The groups' open rooms. */
  readonly rooms: readonly GroupRoom[];
  /** Everything to show, stored and pending, deleted ones removed. */
  annotations(): SharedAnnotation[];
  pendingCount(): number;
  /** The packet's closed items over all groups: item number → whether the user may read it. */
  closedItems(): ClosedItems;
  /** Rejects for a closed item the user may not read: nothing is sent anywhere. */
  create(groupId: string, draft: AnnotationDraft): Promise<void>;
  /** What may change: body and colour (the author's), resolved (anyone's in the group). */
  edit(groupId: string, id: string, patch: AnnotationPatchInput): Promise<void>;
  remove(groupId: string, id: string): Promise<void>;
  /** A secretary closes or opens an item for a group, excluding `excluded` while closed (the server refuses anyone else). */
  setClosed(groupId: string, itemNumber: number, closed: boolean, excluded?: readonly string[]): Promise<void>;
  /**
   * Whom a comment to `groupId` on `target` (a reply: to `replyTo`) may mention: the group's
   * members, or the closed item's readers when it goes to a closed item. Asked of the server and
   * remembered, so the list last fetched serves offline; empty when none was ever fetched.
   */
  audience(groupId: string, target: AnnotationDraft['target'], replyTo: string | null): Promise<GroupMember[]>;
  /** Everyone any audience fetched so far named, by id: how a card names whom a comment mentions. */
  people(): ReadonlyMap<string, string>;
  /** For a secretary: the group's members (whom an item can exclude). */
  members(groupId: string): Promise<GroupMember[]>;
  /** For a secretary: who is excluded from a closed item now, asked of the server (empty if it is open). */
  excludedFrom(groupId: string, itemNumber: number): Promise<string[]>;
  onChange(listener: () => void): () => void;
  /** An intent the server refused for good, with its HTTP status. */
  onRefused(listener: (intent: Intent, status: number) => void): () => void;
  destroy(): void;
}

export interface SharedCommentsOptions {
  identity: ServerIdentity;
  namespace: string;
  packetId: string;
  groups: Array<{ id: string; name: string }>;
  me: Author;
  /** Signed in: connect to the server (y-websocket keeps retrying while it is unreachable). */
  signedIn: boolean;
  /** Asked for a new token when the server refuses one (room-connection.ts). */
  renew?: (rejected: string) => Promise<boolean>;
  /** How often the closed items are asked for again (default 5 s): a change of access shows within it. */
  closedPollMs?: number;
  /**
   * A group's open room was rewritten (1012: comments moved to a closed item's room, or an
   * administrator's reset): its local copy is gone, and everything built on its document must
   * start again from a new one.
   */
  onRewritten?: () => void;
}

const RETRY_MS = 3000;
const CLOSED_POLL_MS = 5000;

/** Whether two answers about a group's closed items (item number → may read) say the same. */
function sameClosed(a: ReadonlyMap<number, boolean> | undefined, b: ReadonlyMap<number, boolean>): boolean {
  return a !== undefined && a.size === b.size && [...b].every(([n, mayRead]) => a.get(n) === mayRead);
}
/** The server rewrote the room (comments moved): the local copy must go before syncing again. */
const ROOM_REWRITTEN = 1012;
/** Not allowed (or no longer): indistinguishable from a room that does not exist. */
const NO_ROOM = 4404;

export async function openSharedComments(options: SharedCommentsOptions): Promise<SharedComments> {
  const changeListeners = new Set<() => void>();
  const refusedListeners = new Set<(intent: Intent, status: number) => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  const refused = (intent: Intent, status: number) => {
    for (const listener of refusedListeners) listener(intent, status);
  };
  const cleanups: Array<() => void> = [];
  let destroyed = false;

  const rooms: GroupRoom[] = await Promise.all(
    options.groups.map(async (group) => {
      const doc = new Y.Doc();
      const local = await persistLocally(`${options.namespace}/shared/${group.id}/${options.packetId}`, doc);
      const outbox = await Outbox.open(`${options.namespace}/outbox/${group.id}/${options.packetId}`);
      const connection = options.signedIn
        ? connectRoom({
            identity: options.identity,
            ...(options.renew ? { renew: options.renew } : {}),
            room: providerRoomName({ kind: 'shared', groupId: group.id, packetId: options.packetId }),
            doc,
            readOnly: true,
            // Rewritten while this browser was away: the same as being told so (1012).
            onAhead: () => dropRewritten(),
          })
        : null;
      doc.on('update', changed);
      // What the client holds would merge back into the rewritten room: drop it, then start afresh.
      let dropping = false;
      const dropRewritten = () => {
        if (destroyed || dropping) return;
        dropping = true;
        connection?.destroy();
        void local.clear().then(() => options.onRewritten?.());
      };
      const onClose = (event: CloseEvent | null) => {
        if (event?.code === ROOM_REWRITTEN) dropRewritten();
      };
      connection?.provider.on('connection-close', onClose);
      cleanups.push(outbox.onChange(changed), () => {
        connection?.provider.off('connection-close', onClose);
        connection?.destroy();
        void local.destroy();
        doc.destroy();
      });
      return { groupId: group.id, groupName: group.name, doc, connection, awareness: connection?.provider.awareness ?? null, outbox };
    }),
  );

  // ---- Closed items ----
  /** Per group: item number → may read. Remembered locally, so padlocks and readable rooms show offline too. */
  const closed = new Map<string, Map<number, boolean>>();
  const itemRooms = new Map<string, ItemRoom>();
  const itemKey = (groupId: string, n: number) => `${groupId}/${n}`;
  const closedKey = (groupId: string) => `${options.namespace}/closed-items/${groupId}/${options.packetId}`;
  const docName = (groupId: string, n: number) => `${options.namespace}/closed/${groupId}/${options.packetId}/${n}`;
  const opening = new Map<string, Promise<ItemRoom>>();

  async function openItemRoom(groupId: string, itemNumber: number): Promise<ItemRoom> {
    const key = itemKey(groupId, itemNumber);
    const existing = itemRooms.get(key);
    if (existing) return existing;
    const pending = opening.get(key);
    if (pending) return pending;
    const started = (async () => {
      const doc = new Y.Doc();
      const local = await persistLocally(docName(groupId, itemNumber), doc);
      const outbox = await Outbox.open(`${options.namespace}/outbox/${groupId}/${options.packetId}/closed/${itemNumber}`);
      const connection = options.signedIn
        ? connectRoom({
            identity: options.identity,
            ...(options.renew ? { renew: options.renew } : {}),
            room: providerRoomName({ kind: 'closed', groupId, packetId: options.packetId, itemNumber }),
            doc,
            readOnly: true,
            onAhead: () => void resetItemRoom(groupId, itemNumber),
          })
        : null;
      const onClose = (event: CloseEvent | null) => {
        if (event?.code === ROOM_REWRITTEN) void resetItemRoom(groupId, itemNumber);
        else if (event?.code === NO_ROOM) void dropItemRoom(groupId, itemNumber).then(() => refreshClosed(groupId));
      };
      connection?.provider.on('connection-close', onClose);
      doc.on('update', changed);
      const stopOutbox = outbox.onChange(changed);
      const room: ItemRoom = {
        groupId,
        itemNumber,
        doc,
        local,
        connection,
        outbox,
        stop: () => {
          connection?.provider.off('connection-close', onClose);
          connection?.destroy();
          stopOutbox();
          doc.off('update', changed);
          doc.destroy();
        },
      };
      if (destroyed) {
        room.stop();
        void local.destroy();
      } else itemRooms.set(key, room);
      return room;
    })().finally(() => opening.delete(key));
    opening.set(key, started);
    return started;
  }

  /** Forgets a room the user may no longer read: its socket, its local copy, and what waited to be sent to it. */
  async function dropItemRoom(groupId: string, itemNumber: number): Promise<void> {
    const room = itemRooms.get(itemKey(groupId, itemNumber));
    if (!room) {
      await browser.storage.local.remove(`doc/${docName(groupId, itemNumber)}`);
      return;
    }
    itemRooms.delete(itemKey(groupId, itemNumber));
    room.stop();
    await room.local.clear();
    const stillClosed = closed.get(groupId)?.has(itemNumber) ?? false;
    const open = rooms.find((r) => r.groupId === groupId);
    // An item opened again: what waited goes to the open room, where its comments now are.
    for (const intent of room.outbox.items) {
      if (!stillClosed && open) await open.outbox.add(intent);
      else refused(intent, 404);
    }
    changed();
  }

  /** The room was rewritten: its local copy goes, and it syncs afresh from what the server stored. */
  async function resetItemRoom(groupId: string, itemNumber: number): Promise<void> {
    const room = itemRooms.get(itemKey(groupId, itemNumber));
    if (!room) return;
    itemRooms.delete(itemKey(groupId, itemNumber));
    room.stop();
    await room.local.clear();
    changed();
    if (!destroyed && closed.get(groupId)?.get(itemNumber)) await openItemRoom(groupId, itemNumber);
  }

  async function applyClosed(groupId: string, items: readonly ClosedItemView[]): Promise<void> {
    const now = new Map(items.map((i) => [i.itemNumber, i.mayRead]));
    const before = closed.get(groupId);
    closed.set(groupId, now);
    for (const room of [...itemRooms.values()]) {
      if (room.groupId === groupId && !now.get(room.itemNumber)) await dropItemRoom(groupId, room.itemNumber);
    }
    for (const [n, mayRead] of now) {
      // A copy kept from before may hold what the user may no longer read.
      if (mayRead) await openItemRoom(groupId, n);
      else await dropItemRoom(groupId, n);
    }
    // Asked every few seconds: an answer that changes nothing redraws nothing (a thousand cards).
    if (!sameClosed(before, now)) changed();
  }

  async function refreshClosed(groupId: string): Promise<void> {
    if (!options.signedIn || destroyed) return;
    let items: ClosedItemView[];
    try {
      items = await fetchClosedItems(options.identity, { groupId, packetId: options.packetId });
    } catch {
      return; // offline or refused: keep what is known, ask again later
    }
    await browser.storage.local.set({ [closedKey(groupId)]: items.map(({ itemNumber, mayRead }) => ({ itemNumber, mayRead })) });
    await applyClosed(groupId, items);
  }

  for (const group of options.groups) {
    const remembered = (await browser.storage.local.get(closedKey(group.id)))[closedKey(group.id)];
    if (Array.isArray(remembered)) await applyClosed(group.id, remembered as ClosedItemView[]);
  }

  const openRoomOf = (groupId: string) => {
    const room = rooms.find((r) => r.groupId === groupId);
    if (!room) throw new Error(`not a member of ${groupId}`);
    return room;
  };

  /** A 409 from the open room names the closed item a comment belongs to: it is queued there instead. */
  const rerouteFrom = (groupId: string) => async (intent: Intent, message: string) => {
    const n = itemNamedByConflict(message);
    if (n === null) return false;
    await refreshClosed(groupId);
    if (!closed.get(groupId)?.get(n)) return false;
    (await openItemRoom(groupId, n)).outbox.add(intent);
    void flush();
    return true;
  };

  const flush = (): Promise<unknown> =>
    Promise.all([
      ...rooms.map((room) =>
        room.outbox.flush(
          intentSender(options.identity, { groupId: room.groupId, packetId: options.packetId }, rerouteFrom(room.groupId)),
          refused,
        ),
      ),
      ...[...itemRooms.values()].map((room) =>
        room.outbox.flush(
          intentSender(options.identity, { groupId: room.groupId, packetId: options.packetId, itemNumber: room.itemNumber }),
          refused,
        ),
      ),
    ]);
  if (options.signedIn) {
    for (const room of rooms) cleanups.push(room.connection?.onStatus((s) => s.connection === 'connected' && void flush()) ?? (() => {}));
    const timer = setInterval(() => {
      if (rooms.some((r) => r.outbox.items.length > 0) || [...itemRooms.values()].some((r) => r.outbox.items.length > 0)) void flush();
    }, RETRY_MS);
    const poll = setInterval(() => {
      for (const group of options.groups) void refreshClosed(group.id);
    }, options.closedPollMs ?? CLOSED_POLL_MS);
    window.addEventListener('online', flush);
    cleanups.push(
      () => clearInterval(timer),
      () => clearInterval(poll),
      () => window.removeEventListener('online', flush),
    );
    await Promise.all(options.groups.map((g) => refreshClosed(g.id)));
    void flush();
  }

  /** The room a comment (or a comment waiting to be sent) is in: a closed item's, or the group's open one. */
  const roomHolding = (groupId: string, id: string): { outbox: Outbox; itemNumber: number | null } => {
    for (const room of itemRooms.values()) {
      if (room.groupId !== groupId) continue;
      const held =
        readAnnotations(room.doc).some((a) => a.id === id) || room.outbox.items.some((i) => i.op === 'create' && i.draft.id === id);
      if (held) return { outbox: room.outbox, itemNumber: room.itemNumber };
    }
    return { outbox: openRoomOf(groupId).outbox, itemNumber: null };
  };
  const enqueue = async (outbox: Outbox, intent: Intent) => {
    await outbox.add(intent);
    if (options.signedIn) void flush();
  };

  /** A resolve waiting to be sent shows who and when, as the server will store it; a reopen shows neither. */
  const resolution = (intent: Extract<Intent, { op: 'edit' }>) =>
    intent.patch.resolved === undefined
      ? {}
      : intent.patch.resolved
        ? { resolvedBy: options.me, resolvedAt: intent.queued }
        : { resolvedBy: undefined, resolvedAt: undefined };

  const roomAnnotations = (groupId: string, itemNumber: number | null, doc: Y.Doc, outbox: Outbox): SharedAnnotation[] => {
    const stored = new Map(readAnnotations(doc).map((a) => [a.id, { ...a, groupId, itemNumber, pending: false }]));
    for (const intent of outbox.items) {
      if (intent.op === 'create') {
        if (!stored.has(intent.draft.id)) {
          stored.set(intent.draft.id, {
            ...intent.draft,
            author: options.me,
            created: intent.queued,
            modified: intent.queued,
            resolved: false,
            deleted: false,
            groupId,
            itemNumber,
            pending: true,
          });
        }
        continue;
      }
      const current = stored.get(intent.id);
      if (!current) continue;
      if (intent.op === 'edit') stored.set(intent.id, { ...current, ...intent.patch, ...resolution(intent), pending: true });
      else stored.set(intent.id, { ...current, deleted: true, pending: true });
    }
    return [...stored.values()].filter((a) => !a.deleted);
  };

  // ---- Mention audiences ----
  const people = new Map<string, string>();
  const audienceKey = (groupId: string, itemNumber: number | null) =>
    itemNumber === null
      ? `${options.namespace}/audience/${groupId}`
      : `${options.namespace}/audience/${groupId}/${options.packetId}/${itemNumber}`;
  const learn = (members: readonly GroupMember[]) => {
    let news = false;
    for (const m of members) {
      if (people.get(m.id) !== m.name) news = true;
      people.set(m.id, m.name);
    }
    if (news) changed();
  };
  async function audienceOf(groupId: string, itemNumber: number | null): Promise<GroupMember[]> {
    const key = audienceKey(groupId, itemNumber);
    if (options.signedIn) {
      try {
        const members = await fetchAudience(options.identity, {
          groupId,
          packetId: options.packetId,
          ...(itemNumber === null ? {} : { itemNumber }),
        });
        await browser.storage.local.set({ [key]: members });
        learn(members);
        return members;
      } catch {
        // offline or refused: the list last fetched, below
      }
    }
    const remembered = (await browser.storage.local.get(key))[key];
    const members = Array.isArray(remembered) ? (remembered as GroupMember[]) : [];
    learn(members);
    return members;
  }
  // Names for the mentions on cards, from what was remembered and then from the server.
  for (const group of options.groups) void audienceOf(group.id, null);

  return {
    rooms,
    audience(groupId, target, replyTo) {
      const parentItem = replyTo ? roomHolding(groupId, replyTo).itemNumber : undefined;
      const route = routeOf(closed.get(groupId) ?? new Map(), target, parentItem);
      return audienceOf(groupId, route.room === 'closed' ? route.itemNumber : null);
    },
    people: () => people,
    annotations() {
      return [
        ...rooms.flatMap((room) => roomAnnotations(room.groupId, null, room.doc, room.outbox)),
        ...[...itemRooms.values()].flatMap((room) => roomAnnotations(room.groupId, room.itemNumber, room.doc, room.outbox)),
      ];
    },
    pendingCount: () =>
      rooms.reduce((n, r) => n + r.outbox.items.length, 0) + [...itemRooms.values()].reduce((n, r) => n + r.outbox.items.length, 0),
    closedItems() {
      const all = new Map<number, boolean>();
      for (const items of closed.values()) for (const [n, mayRead] of items) all.set(n, (all.get(n) ?? false) || mayRead);
      return all;
    },
    async create(groupId, draft) {
      // A note lives in the user's notes room, never in a group's.
      if (draft.kind === AnnotationKind.note) throw new Error('a private note is not a shared comment');
      const parentItem = draft.replyTo ? roomHolding(groupId, draft.replyTo).itemNumber : undefined;
      const route = routeOf(closed.get(groupId) ?? new Map(), draft.target, parentItem);
      if (route.room === 'locked') throw new Error(`agenda item ${route.itemNumber} is closed`);
      const outbox = route.room === 'closed' ? (await openItemRoom(groupId, route.itemNumber)).outbox : openRoomOf(groupId).outbox;
      await enqueue(outbox, { op: 'create', draft: { ...draft, kind: draft.kind }, queued: new Date().toISOString() });
    },
    edit: (groupId, id, patch) => enqueue(roomHolding(groupId, id).outbox, { op: 'edit', id, patch, queued: new Date().toISOString() }),
    remove: (groupId, id) => enqueue(roomHolding(groupId, id).outbox, { op: 'delete', id, queued: new Date().toISOString() }),
    async setClosed(groupId, itemNumber, close, excluded = []) {
      await setItemAccess(options.identity, { groupId, packetId: options.packetId }, itemNumber, close, [...excluded]);
      await refreshClosed(groupId);
    },
    members: (groupId) => fetchGroupMembers(options.identity, groupId),
    async excludedFrom(groupId, itemNumber) {
      const items = await fetchClosedItems(options.identity, { groupId, packetId: options.packetId });
      return [...(items.find((i) => i.itemNumber === itemNumber)?.excluded ?? [])];
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onRefused(listener) {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      for (const cleanup of cleanups) cleanup();
      for (const room of itemRooms.values()) {
        room.stop();
        void room.local.destroy();
      }
      itemRooms.clear();
      changeListeners.clear();
    },
  };
}
