/**
 * How well the text around a candidate agrees with a quote's stored prefix or suffix, from 0 to
 * 1. The comparison tolerates edits and a shift: the prefix may match any stretch that ends
 * right before the candidate (a semi-global edit distance), so a word inserted further out
 * costs little, and one inserted right at the quote costs what it changed.
 */

/** Edit distance between `pattern` and the best-matching stretch of `text` that ends at the end of `text`. */
function distanceEndingAtEnd(pattern: string, text: string): number {
  // Columns over `text`; a free start anywhere in `text`, a fixed end at its end.
  let previous = new Array<number>(text.length + 1).fill(0);
  let current = new Array<number>(text.length + 1).fill(0);
  for (let i = 1; i <= pattern.length; i++) {
    current[0] = i;
    const p = pattern.charCodeAt(i - 1);
    for (let j = 1; j <= text.length; j++) {
      const substitute = (previous[j - 1] as number) + (p === text.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(substitute, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[text.length] as number;
}

const reverse = (s: string) => [...s].reverse().join('');

/** Similarity of `prefix` with the text just before `start`; null when there is no prefix to compare. */
export function prefixSimilarity(text: string, start: number, prefix: string): number | null {
  if (prefix.length === 0) return null;
  if (text.slice(start - prefix.length, start) === prefix) return 1;
  const window = text.slice(Math.max(0, start - Math.ceil(prefix.length * 1.5)), start);
  return 1 - Math.min(prefix.length, distanceEndingAtEnd(prefix, window)) / prefix.length;
}

/** Similarity of `suffix` with the text just after `end`; null when there is no suffix to compare. */
export function suffixSimilarity(text: string, end: number, suffix: string): number | null {
  if (suffix.length === 0) return null;
  if (text.slice(end, end + suffix.length) === suffix) return 1;
  const window = text.slice(end, end + Math.ceil(suffix.length * 1.5));
  return 1 - Math.min(suffix.length, distanceEndingAtEnd(reverse(suffix), reverse(window))) / suffix.length;
}

/** Prefix and suffix similarity together, weighted by how much context each had; null without context. */
export function contextSimilarity(text: string, start: number, end: number, prefix: string, suffix: string): number | null {
  const p = prefixSimilarity(text, start, prefix);
  const s = suffixSimilarity(text, end, suffix);
  if (p === null && s === null) return null;
  return ((p ?? 0) * prefix.length + (s ?? 0) * suffix.length) / (prefix.length + suffix.length);
}
