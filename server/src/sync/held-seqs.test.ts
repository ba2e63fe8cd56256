import { describe, expect, it } from 'vitest';
import { HeldSeqs } from './held-seqs.ts';

describe('held seqs', () => {
  it('moves on through consecutive seqs and keeps early ones aside until the hole fills', () => {
    const held = new HeldSeqs(3);
    held.add(4);
    expect(held.through).toBe(4);
    held.add(6);
    held.add(7);
    expect([held.through, held.hasHole, held.has(6), held.has(5)]).toEqual([4, true, true, false]);
    held.add(5);
    expect([held.through, held.hasHole]).toEqual([7, false]);
    held.add(2); // old news
    expect(held.through).toBe(7);
  });

  it('takes everything up to a seq read from storage, and what it held beyond it', () => {
    const held = new HeldSeqs();
    held.add(3);
    held.add(9);
    held.add(10);
    held.addThrough(8);
    expect([held.through, held.hasHole]).toEqual([10, false]);
    held.addThrough(5);
    expect(held.through).toBe(10);
  });
});
