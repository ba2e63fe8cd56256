import { describe, expect, it } from 'vitest';
import { buildWordIndex, innerWords } from './word-index.ts';

describe('word index', () => {
  it('lists where each word starts', () => {
    const index = buildWordIndex('og så og igen og');
    expect(index.positions('og')).toEqual([0, 6, 14]);
    expect(index.positions('så')).toEqual([3]);
    expect(index.positions('ikke')).toEqual([]);
  });

  it('takes only the words a selection cannot have cut: not the first or the last', () => {
    expect(innerWords('ngen blev godkendt uden bemær')).toEqual([
      { word: 'blev', offset: 5 },
      { word: 'godkendt', offset: 10 },
      { word: 'uden', offset: 19 },
    ]);
    expect(innerWords('to ord')).toEqual([]);
  });
});
