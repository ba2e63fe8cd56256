/**
 * Which agenda item a comment lies in, for the closed-item rules (docs/CLOSED-ITEMS.md, "Which
 * item a comment is on"): the item its target names (`target.agendaItem`, which the extension
 * sets from the agenda it shows) when it names one; otherwise the item whose pages hold the
 * target's page in the packet's agenda as the server knows it: the group's shared correction,
 * else the caller's own registered detection (sure of itself: a guessed agenda places nothing);
 * otherwise no item. The server has no copy of the PDF, so a page-only comment on a packet whose
 * agenda nobody shared or registered lies in no item.
 */

import { readCorrection } from '@randnoter/shared/agenda/agenda-doc';
import { correctionToOutline } from '@randnoter/shared/agenda/correction';
import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import type { Target } from '@randnoter/shared/model/annotation';
import type { Kysely } from 'kysely';
import { packetView, roomCheck } from '../packets/packet-view.ts';
import type { DocStore } from '../storage/doc-store.ts';
import type { Database } from '../storage/schema.ts';
import { groupsOf } from '../storage/users.ts';
import type { Rooms } from '../sync/rooms.ts';

export function itemOfTarget(target: Target, outline: AgendaOutline | undefined): number | null {
  if (target.agendaItem) return target.agendaItem.number;
  return placeOfPage(outline, target.page).agendaItem?.number ?? null;
}

export interface OutlineDeps {
  db: Kysely<Database>;
  docs: DocStore;
  rooms: Pick<Rooms, 'read'>;
}

/** The agenda a page-only target of the group's open room `openRoom` is placed by, as `userId` knows the packet. */
export async function placingOutline(
  deps: OutlineDeps,
  openRoom: string,
  packetId: string,
  userId: string,
): Promise<AgendaOutline | undefined> {
  const correction = await deps.rooms.read(openRoom, readCorrection);
  if (correction?.pages !== undefined) return correctionToOutline(correction, correction.pages);
  const groups = await groupsOf(deps.db, userId);
  const view = await packetView(deps.db, userId, packetId, roomCheck(deps.docs, userId, groups));
  if (correction) return correctionToOutline(correction, view.pageCount ?? correction.items.at(-1)?.firstPage ?? 1);
  return view.outline;
}
