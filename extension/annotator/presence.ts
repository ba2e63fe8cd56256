/** Presence for the viewer and the sidebar: publishes where the user is reading to every group room, and lists the others. */
import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import { ObservableV2 } from 'lib0/observable';
import type { Reader } from '../components/contents-pane.ts';
import { colorFor, othersPresent, publishPresence } from '../sync/presence.ts';
import type { SharedComments } from '../sync/shared-comments.ts';
import type { Session } from './session.ts';

export interface ViewerPresence {
  moveTo(page: number): void;
  /** Says again where the user is, after the agenda changed under them. */
  refresh(): void;
  currentItem(): number | null;
  readers(): Reader[];
  /** `change`: someone's presence changed (who reads, where). */
  readonly events: ObservableV2<{ change: () => void }>;
  destroy(): void;
}

/** `outline` is read at each move: the agenda may be corrected while the packet is open. */
export function trackPresence(shared: SharedComments | null, session: Session, outline: () => AgendaOutline): ViewerPresence {
  const awarenesses = (shared?.rooms ?? []).flatMap((r) => (r.awareness ? [r.awareness] : []));
  const color = colorFor(session.myId ?? session.me.name);
  let item: number | null = null;
  let page = 1;
  const events = new ObservableV2<{ change: () => void }>();
  const changed = () => events.emit('change', []);
  for (const a of awarenesses) a.on('change', changed);
  const moveTo = (to: number) => {
    page = to;
    item = placeOfPage(outline(), page).agendaItem?.number ?? null;
    for (const a of awarenesses) publishPresence(a, { name: session.me.name, color, page, item });
  };
  return {
    moveTo,
    refresh: () => moveTo(page),
    currentItem: () => item,
    readers() {
      // The same colleague may share several groups with me: list each person once (not myself on another device).
      const byUser = new Map<string, Reader>();
      for (const a of awarenesses) {
        for (const p of othersPresent(a)) {
          if (p.userId !== null && p.userId === session.myId) continue;
          byUser.set(p.userId ?? `${p.name}/${p.clientId}`, { name: p.name, color: p.color, item: p.item });
        }
      }
      return [...byUser.values()];
    },
    events,
    destroy() {
      events.destroy();
      for (const a of awarenesses) {
        a.off('change', changed);
        a.setLocalState(null);
      }
    },
  };
}
