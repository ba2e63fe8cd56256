import { describe, expect, it } from 'vitest';
import { contextSimilarity, prefixSimilarity, suffixSimilarity } from './context-similarity.ts';

describe('context similarity', () => {
  const text = 'Indstillingen blev godkendt. Rådmanden orienterede om sagen.';
  const at = text.indexOf('Rådmanden');

  it('is 1 for surroundings that are unchanged and null when nothing was stored', () => {
    expect(prefixSimilarity(text, at, 'godkendt. ')).toBe(1);
    expect(suffixSimilarity(text, at + 9, ' orienterede')).toBe(1);
    expect(prefixSimilarity(text, at, '')).toBeNull();
    expect(contextSimilarity(text, at, at + 9, '', '')).toBeNull();
  });

  it('tolerates a word inserted further out, and falls with every edit near the quote', () => {
    const inserted = 'Indstillingen blev enstemmigt godkendt. Rådmanden orienterede om sagen.';
    const atInserted = inserted.indexOf('Rådmanden');
    const near = prefixSimilarity(inserted, atInserted, 'blev godkendt. ') as number;
    expect(near).toBeGreaterThan(0.7);
    expect(near).toBeLessThan(1);
    expect(prefixSimilarity(text, at, 'helt andre ord ') as number).toBeLessThan(0.4);
  });

  it('weighs prefix and suffix by how much of each was stored', () => {
    expect(contextSimilarity(text, at, at + 9, 'godkendt. ', ' QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ')).toBeLessThan(0.5);
  });
});
