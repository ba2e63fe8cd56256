/**
 * Where each word of the packet text starts, so that finding a quote costs a few lookups
 * instead of a scan of the whole packet (a 500-page packet is close to a million characters).
 * Words are the runs between single spaces of the normalised text (page-text.ts).
 */
export interface WordIndex {
  /** Start offsets of the word, ascending; empty when the text does not have it. */
  positions(word: string): readonly number[];
}

const NONE: readonly number[] = [];

export function buildWordIndex(text: string): WordIndex {
  const index = new Map<string, number[]>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const word = text.slice(start, end);
      const list = index.get(word);
      if (list) list.push(start);
      else index.set(word, [start]);
    }
    start = end + 1;
  }
  return { positions: (word) => index.get(word) ?? NONE };
}

export interface QuoteWord {
  word: string;
  /** Offset of the word from the start of the string it was taken from. */
  offset: number;
}

/**
 * The words of `s` that are whole words wherever `s` occurs: all but the first and last,
 * which a selection may have cut in the middle.
 */
export function innerWords(s: string): QuoteWord[] {
  const words: QuoteWord[] = [];
  let start = 0;
  while (start <= s.length) {
    let end = s.indexOf(' ', start);
    if (end < 0) end = s.length;
    if (end > start && start > 0 && end < s.length) words.push({ word: s.slice(start, end), offset: start });
    start = end + 1;
  }
  return words;
}
