/**
 * Which room a shared comment goes to (docs/CLOSED-ITEMS.md, "Which item a comment is on"): the
 * room of the closed item its target names, else the group's open room. Pure, so it is tested
 * without a browser.
 */
import type { Target } from '@randnoter/shared/model/annotation';

/** A group's closed items on the packet, as the server told this member: item number → may read. */
export type ClosedItems = ReadonlyMap<number, boolean>;

export type Route = { room: 'open' } | { room: 'closed'; itemNumber: number } | { room: 'locked'; itemNumber: number };

/** The agenda item a target names, if it names one. */
export function itemOfTarget(target: Pick<Target, 'agendaItem'> | undefined): number | null {
  return target?.agendaItem?.number ?? null;
}

/**
 * Where a comment on `target` goes. A reply goes where its parent is (`parentItem`: the closed
 * item whose room holds it, or null for the open room). `locked`: the item is closed and the
 * user may not read it, so nothing may be sent anywhere.
 */
export function routeOf(closed: ClosedItems, target: Pick<Target, 'agendaItem'> | undefined, parentItem?: number | null): Route {
  const item = parentItem !== undefined ? parentItem : itemOfTarget(target);
  if (item === null || !closed.has(item)) return { room: 'open' };
  return closed.get(item) ? { room: 'closed', itemNumber: item } : { room: 'locked', itemNumber: item };
}

/** The item a 409 from the open room names ("…send it to /api/groups/…/items/3/annotations"), if any. */
export function itemNamedByConflict(message: string): number | null {
  const match = /\/items\/(\d+)\/annotations/.exec(message);
  return match ? Number(match[1]) : null;
}
