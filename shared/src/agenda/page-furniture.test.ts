import { describe, expect, it } from 'vitest';
import { buildPageText } from '../text/page-text.ts';
import { findFurniture, furnitureKey } from './page-furniture.ts';

const page = (n: number, ...lines: string[]) =>
  buildPageText(
    n,
    lines.map((str) => ({ str, hasEOL: true })),
  );
const TOPICS = ['budget', 'skole', 'ældre', 'trafik'];

describe('page furniture', () => {
  it('finds header and footer lines repeated on several pages, whatever their digits', () => {
    const pages = TOPICS.map((topic, i) => page(i + 1, `Socialudvalget 2${i}.01.2023`, `Tekst om ${topic}`, `${i + 1} / 4`));
    expect([...findFurniture(pages)]).toEqual([furnitureKey('Socialudvalget 25.01.2023'), '# / #']);
  });

  it('never counts a running header as furniture, however often it repeats', () => {
    const pages = TOPICS.map((topic, i) => page(i + 1, 'Punkt 3, Bilag 2: Notat', `Tekst om ${topic}`));
    expect(findFurniture(pages).size).toBe(0);
  });

  it('needs a line on three pages before calling it furniture', () => {
    expect(findFurniture([page(1, 'Overskrift', 'a'), page(2, 'Overskrift', 'b')]).size).toBe(0);
  });
});
