/** The user's private notes on one packet: a Y.Doc kept in IndexedDB and synced to the notes room. */

import { providerRoomName } from '@randnoter/shared/protocol/rooms';
import { browser } from 'wxt/browser';
import * as Y from 'yjs';
import { persistLocally } from './local-doc-store.ts';
import { connectRoom, type RoomConnection } from './room-connection.ts';
import type { ServerIdentity } from './server-api.ts';

export interface PrivateNotes {
  readonly doc: Y.Doc;
  readonly connection: RoomConnection | null;
  destroy(): void;
}

/** The server emptied the room (docs/PROTOCOL.md, "Close codes"). */
const ROOM_REWRITTEN = 1012;

export function localNotesName(namespace: string, packetId: string): string {
  return `${namespace}/notes/${packetId}`;
}

export async function openPrivateNotes(options: {
  identity: ServerIdentity;
  namespace: string;
  packetId: string;
  signedIn: boolean;
  /** Asked for a new token when the server refuses one (room-connection.ts). */
  renew?: (rejected: string) => Promise<boolean>;
  doc?: Y.Doc;
  /**
   * The notes room was emptied for good (1012: an administrator's reset, the user's erasure, or
   * retention): the local copy is gone, and everything built on the document starts again.
   */
  onRewritten?: () => void;
  /** The notes socket also carries the user's new notifications (room-connection.ts). */
  onNotification?: (json: string) => void;
}): Promise<PrivateNotes> {
  const doc = options.doc ?? new Y.Doc();
  const name = localNotesName(options.namespace, options.packetId);
  const local = await persistLocally(name, doc);
  // How many local changes the server had not confirmed when the page last closed.
  const unsavedKey = `${name}/unsaved`;
  const stored = (await browser.storage.local.get(unsavedKey).catch((): Record<string, unknown> => ({})))[unsavedKey];
  const connection = options.signedIn
    ? connectRoom({
        identity: options.identity,
        room: providerRoomName({ kind: 'notes', packetId: options.packetId }),
        doc,
        ...(options.renew ? { renew: options.renew } : {}),
        ...(options.onNotification ? { onNotification: options.onNotification } : {}),
        unsaved: {
          initial: typeof stored === 'number' && stored > 0 ? stored : 0,
          changed: (count) => void browser.storage.local.set({ [unsavedKey]: count }).catch(() => {}),
        },
      })
    : null;
  let destroyed = false;
  // What the browser holds would be sent back and undo the removal: drop it, then start afresh.
  const onClose = (event: CloseEvent | null) => {
    if (event?.code !== ROOM_REWRITTEN || destroyed) return;
    connection?.destroy();
    void local
      .clear()
      .then(() => browser.storage.local.remove(unsavedKey))
      .catch(() => {})
      .then(() => options.onRewritten?.());
  };
  connection?.provider.on('connection-close', onClose);
  return {
    doc,
    connection,
    destroy() {
      destroyed = true;
      connection?.provider.off('connection-close', onClose);
      connection?.destroy();
      void local.destroy();
    },
  };
}
