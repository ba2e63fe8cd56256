/**
 * A group's shared comments on one packet: the shared room (read-only Y.Doc, kept offline in
 * IndexedDB) plus the outbox of intents not yet stored by the server. What the UI shows is the
 * room's content with the outbox applied on top, so a comment written offline appears at once,
 * marked pending, and is replaced by the stored one when the server has it.
 */

import { type Annotation, type AnnotationDraft, AnnotationKind, type Author } from '@randnoter/shared/model/annotation';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { AnnotationPatchInput } from '@randnoter/shared/protocol/http-api';
import { providerRoomName } from '@randnoter/shared/protocol/rooms';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { persistLocally } from './local-doc-store.ts';
import { type Intent, Outbox } from './outbox.ts';
import { connectRoom, type RoomConnection } from './room-connection.ts';
import { intentSender } from './send-intent.ts';
import type { ServerIdentity } from './server-api.ts';

interface SharedAnnotation extends Annotation {
  groupId: string;
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

export interface SharedComments {
  readonly rooms: readonly GroupRoom[];
  /** Everything to show, stored and pending, deleted ones removed. */
  annotations(): SharedAnnotation[];
  pendingCount(): number;
  create(groupId: string, draft: AnnotationDraft): Promise<void>;
  /** What may change: body and colour (the author's), resolved (anyone's in the group). */
  edit(groupId: string, id: string, patch: AnnotationPatchInput): Promise<void>;
  remove(groupId: string, id: string): Promise<void>;
  onChange(listener: () => void): () => void;
  /** Refused intents, with the text the user wrote, so it can be shown and copied. */
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
}

const RETRY_MS = 3000;

export async function openSharedComments(options: SharedCommentsOptions): Promise<SharedComments> {
  const changeListeners = new Set<() => void>();
  const refusedListeners = new Set<(intent: Intent, status: number) => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  const cleanups: Array<() => void> = [];

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
          })
        : null;
      doc.on('update', changed);
      cleanups.push(outbox.onChange(changed), () => {
        connection?.destroy();
        void local.destroy();
        doc.destroy();
      });
      return { groupId: group.id, groupName: group.name, doc, connection, awareness: connection?.provider.awareness ?? null, outbox };
    }),
  );

  const flush = () =>
    Promise.all(
      rooms.map((room) =>
        room.outbox.flush(intentSender(options.identity, { groupId: room.groupId, packetId: options.packetId }), (intent, status) => {
          for (const listener of refusedListeners) listener(intent, status);
        }),
      ),
    );
  if (options.signedIn) {
    for (const room of rooms) cleanups.push(room.connection?.onStatus((s) => s.connection === 'connected' && void flush()) ?? (() => {}));
    const timer = setInterval(() => {
      if (rooms.some((r) => r.outbox.items.length > 0)) void flush();
    }, RETRY_MS);
    window.addEventListener('online', flush);
    cleanups.push(
      () => clearInterval(timer),
      () => window.removeEventListener('online', flush),
    );
    void flush();
  }

  const roomOf = (groupId: string) => {
    const room = rooms.find((r) => r.groupId === groupId);
    if (!room) throw new Error(`not a member of ${groupId}`);
    return room;
  };
  const enqueue = async (groupId: string, intent: Intent) => {
    await roomOf(groupId).outbox.add(intent);
    if (options.signedIn) void flush();
  };

  /** A resolve waiting to be sent shows who and when, as the server will store it; a reopen shows neither. */
  const resolution = (intent: Extract<Intent, { op: 'edit' }>) =>
    intent.patch.resolved === undefined
      ? {}
      : intent.patch.resolved
        ? { resolvedBy: options.me, resolvedAt: intent.queued }
        : { resolvedBy: undefined, resolvedAt: undefined };

  return {
    rooms,
    annotations() {
      const out: SharedAnnotation[] = [];
      for (const room of rooms) {
        const stored = new Map(readAnnotations(room.doc).map((a) => [a.id, { ...a, groupId: room.groupId, pending: false }]));
        for (const intent of room.outbox.items) {
          if (intent.op === 'create') {
            if (!stored.has(intent.draft.id)) {
              stored.set(intent.draft.id, {
                ...intent.draft,
                author: options.me,
                created: intent.queued,
                modified: intent.queued,
                resolved: false,
                deleted: false,
                groupId: room.groupId,
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
        for (const a of stored.values()) if (!a.deleted) out.push(a);
      }
      return out;
    },
    pendingCount: () => rooms.reduce((n, r) => n + r.outbox.items.length, 0),
    create(groupId, draft) {
      // A note lives in the user's notes room, never in a group's.
      if (draft.kind === AnnotationKind.note) return Promise.reject(new Error('a private note is not a shared comment'));
      return enqueue(groupId, { op: 'create', draft: { ...draft, kind: draft.kind }, queued: new Date().toISOString() });
    },
    edit: (groupId, id, patch) => enqueue(groupId, { op: 'edit', id, patch, queued: new Date().toISOString() }),
    remove: (groupId, id) => enqueue(groupId, { op: 'delete', id, queued: new Date().toISOString() }),
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onRefused(listener) {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    destroy() {
      for (const cleanup of cleanups) cleanup();
      changeListeners.clear();
    },
  };
}
