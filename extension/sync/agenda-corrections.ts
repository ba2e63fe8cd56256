/**
 * Agenda corrections as the extension keeps them: the user's own in their notes room (so it
 * follows them to their other devices, offline too), each group's in its shared room (read-only
 * here: sharing is an intent the server applies, docs/PROTOCOL.md). Which one a view shows is
 * shared/agenda/choose-outline.ts's business.
 */

import { clearCorrection, readCorrection, writeCorrection } from '@randnoter/shared/agenda/agenda-doc';
import type { AgendaCorrection, StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { Author } from '@randnoter/shared/model/annotation';
import { ObservableV2 } from 'lib0/observable';
import type * as Y from 'yjs';
import { removeGroupAgenda, type ServerIdentity, shareGroupAgenda } from './server-api.ts';

interface GroupCorrection {
  groupId: string;
  correction: StoredCorrection | null;
}

export interface AgendaCorrections {
  own(): StoredCorrection | null;
  /** Every group room's correction, in the order of `groups`. */
  groups(): GroupCorrection[];
  saveOwn(correction: AgendaCorrection): void;
  removeOwn(): void;
  /** Resolves with the stored correction once the server has it; throws ApiError (status 0: not reached). */
  share(groupId: string, correction: AgendaCorrection): Promise<StoredCorrection>;
  removeShared(groupId: string): Promise<void>;
  /** `change`: after any change, local or from the server (a colleague's correction arriving). */
  readonly events: ObservableV2<{ change: () => void }>;
  destroy(): void;
}

export interface AgendaCorrectionsOptions {
  notes: Y.Doc;
  rooms: ReadonlyArray<{ groupId: string; doc: Y.Doc }>;
  identity: ServerIdentity;
  packetId: string;
  me: Author;
  now?: () => string;
}

export function openAgendaCorrections(options: AgendaCorrectionsOptions): AgendaCorrections {
  const now = options.now ?? (() => new Date().toISOString());
  const events = new ObservableV2<{ change: () => void }>();
  const changed = () => events.emit('change', []);
  const docs = [options.notes, ...options.rooms.map((r) => r.doc)];
  for (const doc of docs) doc.on('update', changed);

  return {
    own: () => readCorrection(options.notes),
    groups: () => options.rooms.map((r) => ({ groupId: r.groupId, correction: readCorrection(r.doc) })),
    saveOwn(correction) {
      writeCorrection(options.notes, correction, options.me, now());
    },
    removeOwn() {
      clearCorrection(options.notes);
    },
    share: (groupId, correction) => shareGroupAgenda(options.identity, { groupId, packetId: options.packetId }, correction),
    removeShared: (groupId) => removeGroupAgenda(options.identity, { groupId, packetId: options.packetId }),
    events,
    destroy() {
      for (const doc of docs) doc.off('update', changed);
      events.destroy();
    },
  };
}
