import { describe, expect, it } from 'vitest';
import { buildPacketText, buildPageText, textItemsOf } from '../text/page-text.ts';
import { boundsOf, pagesOfRange, quadsForRange, textBoxesOf } from './text-boxes.ts';

// Two pages; page 1 has two lines (items), the second at y=680; page 2 is one rotated item.
const page1 = [
  { str: 'Første linje', hasEOL: true, transform: [10, 0, 0, 10, 100, 700], width: 120, height: 10 },
  { str: '', hasEOL: true },
  { str: 'Anden linje her', hasEOL: true, transform: [10, 0, 0, 10, 100, 680], width: 150, height: 10 },
];
const page2 = [{ str: 'Lodret', hasEOL: false, transform: [0, 12, -12, 0, 50, 100], width: 60, height: 12 }];
const packet = buildPacketText([buildPageText(1, textItemsOf(page1)), buildPageText(2, textItemsOf(page2))]);
const boxes1 = textBoxesOf(page1);

describe('highlight geometry', () => {
  it('keeps one box per text item the text layer shows, skipping empty items', () => {
    expect(boxes1.map((b) => [b.x, b.y, b.width])).toEqual([
      [100, 700, 120],
      [100, 680, 150],
    ]);
  });

  it('covers a range across two lines with one quad per line, proportional to the characters', () => {
    const start = packet.text.indexOf('linje Anden');
    const quads = quadsForRange(packet, boxes1, 1, start, start + 'linje Anden'.length);
    expect(quads).toHaveLength(2);
    const [first = [], second = []] = quads;
    // "linje" is the last 5 of 12 characters of the first line.
    expect(first[0]).toBeCloseTo(100 + (120 * 7) / 12);
    expect(first[2]).toBeCloseTo(220);
    expect(first[1]).toBeGreaterThan(700);
    expect(first[5]).toBeLessThan(700);
    // "Anden" is the first 5 of 15 characters of the second line.
    expect(second[0]).toBeCloseTo(100);
    expect(second[2]).toBeCloseTo(150);
    expect(boundsOf(quads)[1]).toBeLessThan(680);
  });

  it('uses a width measure when given, and follows rotated text', () => {
    const start = packet.text.indexOf('Anden');
    const wide = (s: string) => [...s].reduce((w, ch) => w + (ch === 'A' ? 3 : 1), 0);
    const [quad] = quadsForRange(packet, boxes1, 1, start, start + 1, wide);
    expect(quad?.[2]).toBeCloseTo(100 + (150 * 3) / 17);
    const rotated = quadsForRange(packet, textBoxesOf(page2), 2, packet.pageStarts[1] as number, packet.text.length);
    expect(rotated[0]?.slice(4)).toEqual([expect.closeTo(50 + 12 * 0.24), 100, expect.closeTo(50 + 12 * 0.24), 160]);
  });

  it('finds the pages a range spans', () => {
    expect(pagesOfRange(packet, packet.text.indexOf('her'), packet.text.indexOf('Lodret') + 3)).toEqual([1, 2]);
  });
});
