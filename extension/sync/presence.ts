/**
 * Presence over Yjs awareness in a group's shared room: who is reading, and which page and agenda
 * item. The server replaces the name with the authenticated one, so names cannot be faked.
 */
import type { Awareness } from 'y-protocols/awareness';

export interface PresenceState {
  name: string;
  color: string;
  page: number;
  item: number | null;
}

export interface PeerPresence extends PresenceState {
  clientId: number;
  /** The authenticated user id the server put in the state. */
  userId: string | null;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** A stable colour per person, so the same colleague keeps the same dot. */
export function colorFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length] as string;
}

export function publishPresence(awareness: Awareness, state: PresenceState): void {
  awareness.setLocalStateField('user', { name: state.name, color: state.color });
  awareness.setLocalStateField('reading', { page: state.page, item: state.item });
}

/** Everyone else present, read defensively (states come from other clients). */
export function othersPresent(awareness: Awareness): PeerPresence[] {
  const out: PeerPresence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID || state === null) continue;
    const user = state.user as { name?: unknown; color?: unknown; id?: unknown } | undefined;
    const reading = state.reading as { page?: unknown; item?: unknown } | undefined;
    if (typeof user?.name !== 'string') continue;
    out.push({
      clientId,
      userId: typeof user.id === 'string' ? user.id : null,
      name: user.name,
      color: typeof user.color === 'string' ? user.color : '#888888',
      page: typeof reading?.page === 'number' ? reading.page : 1,
      item: typeof reading?.item === 'number' ? reading.item : null,
    });
  }
  return out;
}
