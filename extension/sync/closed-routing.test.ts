import { describe, expect, it } from 'vitest';
import { itemNamedByConflict, itemOfTarget, routeOf } from './closed-routing.ts';

const on = (n: number) => ({ agendaItem: { number: n, title: `Punkt ${n}` } });
/** Item 3 closed and readable, item 5 closed and not. */
const closed = new Map([
  [3, true],
  [5, false],
]);

describe('which room a shared comment goes to', () => {
  it("goes to a closed item's room by the item its target names", () => {
    expect(routeOf(closed, on(3))).toEqual({ room: 'closed', itemNumber: 3 });
  });

  it('goes to the open room for an open item, or a target that names no item', () => {
    expect(routeOf(closed, on(2))).toEqual({ room: 'open' });
    expect(routeOf(closed, { agendaItem: null })).toEqual({ room: 'open' });
    expect(routeOf(closed, undefined)).toEqual({ room: 'open' });
    expect(routeOf(new Map(), on(3))).toEqual({ room: 'open' });
  });

  it('is locked for a closed item the user may not read: nowhere to send it', () => {
    expect(routeOf(closed, on(5))).toEqual({ room: 'locked', itemNumber: 5 });
  });

  it('puts a reply where its parent is, whatever its target names', () => {
    expect(routeOf(closed, on(2), 3)).toEqual({ room: 'closed', itemNumber: 3 });
    expect(routeOf(closed, on(3), null)).toEqual({ room: 'open' });
  });

  it('reads the item a target names', () => {
    expect(itemOfTarget(on(7))).toBe(7);
    expect(itemOfTarget({})).toBeNull();
  });

  it("reads the item the server's 409 names", () => {
    const message = 'the comment is on agenda item 3, which is closed: send it to /api/groups/udvalg/packets/p1/items/3/annotations';
    expect(itemNamedByConflict(message)).toBe(3);
    expect(itemNamedByConflict('conflict')).toBeNull();
  });
});
