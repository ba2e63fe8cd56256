import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { ClosedItemIndex } from './closed-item-index.ts';

describe('ClosedItemIndex', () => {
  it("takes a closed item's reading out of the open room's presence, and what it cannot place on a packet with closed items", async () => {
    let rows = [{ groupId: 'udvalg', packetId: 'p1', itemNumber: 3 }];
    const index = new ClosedItemIndex(async () => rows, silentLogger);
    const redact = index.redactorFor('shared/udvalg/p1');
    const shown = (reading: unknown) => {
      const state: Record<string, unknown> = { user: { name: 'Anne' }, reading };
      redact?.(state);
      return state.reading;
    };
    // Not read yet: nothing is known, so no place is shown.
    expect(shown({ page: 10, item: 4 })).toBeUndefined();
    await index.refresh();
    expect(shown({ page: 5, item: 3 })).toBeUndefined();
    expect(shown({ page: 6, item: null })).toBeUndefined();
    expect(shown({ page: 10, item: 4 })).toEqual({ page: 10, item: 4 });
    // Other packets, notes and closed rooms are left alone.
    const other: Record<string, unknown> = { reading: { page: 5, item: 3 } };
    index.redactorFor('shared/udvalg/p2')?.(other);
    expect(other.reading).toEqual({ page: 5, item: 3 });
    expect(index.redactorFor('notes/u1/p1')).toBeUndefined();
    expect(index.redactorFor('closed/udvalg/p1/3')).toBeUndefined();
    // Opened again: read afresh, the place shows.
    rows = [];
    await index.refresh();
    expect(shown({ page: 5, item: 3 })).toEqual({ page: 5, item: 3 });
    index.destroy();
  });
});
