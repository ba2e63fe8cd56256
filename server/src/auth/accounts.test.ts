import { isId } from '@randnoter/shared/protocol/rooms';
import { describe, expect, it } from 'vitest';
import { newUserId } from './accounts.ts';

describe('user ids', () => {
  it('are valid ids that never start with "-", so the admin command line cannot read one as an option', () => {
    // Unfixed, about 1 in 64 ids would start with '-': 2,000 ids leave that no chance to hide.
    const ids = Array.from({ length: 2_000 }, newUserId);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.every((id) => isId(id) && id.length === 12)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
