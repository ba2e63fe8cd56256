import { describe, expect, it } from 'vitest';
import {
  buildPacketText,
  buildPageText,
  itemPositionToOffset,
  itemText,
  lineText,
  offsetToItemPosition,
  pageAtOffset,
  textItemsOf,
  withoutLines,
} from './page-text.ts';

describe('page text', () => {
  it('collapses whitespace, joins items like pdf.js find, and turns line ends into spaces', () => {
    const page = buildPageText(1, [
      { str: '  Punkt 3:  Godkendelse', hasEOL: true },
      { str: 'af  Rammeaftale', hasEOL: false },
      { str: ' 23-24 ' },
    ]);
    expect(page.text).toBe('Punkt 3: Godkendelse af Rammeaftale 23-24');
  });

  it('drops soft hyphens and zero-width characters and unfolds ligatures', () => {
    expect(buildPageText(1, [{ str: 'ﬁnansie\u00ADring\u200B af' }]).text).toBe('finansiering af');
  });

  it('adds a space where pdf.js changed line without flagging it', () => {
    const page = buildPageText(1, [
      { str: 'første', transform: [10, 0, 0, 10, 50, 700], height: 10 },
      { str: 'anden', transform: [10, 0, 0, 10, 50, 685], height: 10 },
    ]);
    expect(page.text).toBe('første anden');
  });

  it('maps every text-layer position to its offset and back', () => {
    const page = buildPageText(1, [
      { str: 'Aarhus Kommune', hasEOL: false },
      { str: ' ', hasEOL: false },
      { str: 'ﬁre  dage', hasEOL: true },
      { str: 'slut' },
    ]);
    expect(page.text).toBe('Aarhus Kommune fire dage slut');
    expect(itemPositionToOffset(page, 0, 7)).toBe(7); // "K"
    expect(itemPositionToOffset(page, 2, 1)).toBe(17); // "r" after the ligature's two letters
    expect(itemPositionToOffset(page, 3, 0)).toBe(25);
    for (const offset of [0, 7, 15, 17, 20, 25]) {
      const { itemIndex, rawIndex } = offsetToItemPosition(page, offset);
      expect(itemPositionToOffset(page, itemIndex, rawIndex)).toBe(offset);
    }
  });

  it('aligns with the text layer: markers dropped, empty items folded into line breaks', () => {
    const items = textItemsOf([
      { type: 'beginMarkedContent' },
      { str: 'Punkt 1: Dagsorden', hasEOL: false },
      { str: '', hasEOL: true },
      { type: 'endMarkedContent' },
      { str: 'Referat', hasEOL: false },
    ]);
    expect(items.map((i) => i.str)).toEqual(['Punkt 1: Dagsorden', 'Referat']);
    expect(buildPageText(1, items).text).toBe('Punkt 1: Dagsorden Referat');
  });

  it('joins pages with one space and finds the page of an offset', () => {
    const packet = buildPacketText([buildPageText(1, [{ str: 'Indhold' }]), buildPageText(2, [{ str: 'Punkt 1' }]), buildPageText(3, [])]);
    expect(packet.text).toBe('Indhold Punkt 1 ');
    expect(packet.pageStarts).toEqual([0, 8, 16]);
    expect(pageAtOffset(packet, 0)).toBe(1);
    expect(pageAtOffset(packet, 7)).toBe(1);
    expect(pageAtOffset(packet, 8)).toBe(2);
    expect(pageAtOffset(packet, 16)).toBe(3);
  });

  it("gives every item's raw string back, keeping only those the page text does not hold as written", () => {
    const raw = ['  Punkt 3:  Godkendelse', 'af', ' ', 'Ramme', 'aftale ', 'ﬁnansie\u00ADring', 'slut', '23-24'];
    const page = buildPageText(1, [
      { str: raw[0] as string, hasEOL: true },
      ...raw.slice(1, -1).map((str) => ({ str })),
      { str: raw.at(-1) as string, transform: [10, 0, 0, 10, 50, 600], height: 10 },
    ]);
    expect(page.items.map((_, i) => itemText(page, i))).toEqual(raw);
    expect(itemText(page, raw.length)).toBeUndefined();
    // "af", "Ramme", "slut" and "23-24" are their stretch of the text; the others are kept as pdf.js gave them.
    expect(page.items.filter((item) => item === null)).toHaveLength(4);
    // Read through the packet, whose pages' texts are slices of its own, the items are the same.
    const packet = buildPacketText([buildPageText(1, [{ str: 'Indhold' }]), page]);
    expect(packet.text.slice(packet.pageStarts[1])).toBe(page.text);
    expect(packet.pages[1]?.items.map((_, i) => itemText(packet.pages[1] as typeof page, i))).toEqual(raw);
  });
  it('drops the lines detection read and keeps what anchoring reads', () => {
    const packet = buildPacketText([
      buildPageText(1, [{ str: 'Punkt 1: Budget', hasEOL: true }, { str: 'aftale ' }, { str: 'slut' }]),
      buildPageText(2, [{ str: 'Bilag 1' }]),
    ]);
    const kept = withoutLines(packet);
    expect(packet.pages.map((p) => p.lines.length)).toEqual([2, 1]);
    expect(kept.pages.map((p) => p.lines)).toEqual([[], []]);
    expect(kept.text).toBe(packet.text);
    expect(kept.pageStarts).toEqual(packet.pageStarts);
    expect(kept.pages.map((p) => p.items.map((_, i) => itemText(p, i)))).toEqual([['Punkt 1: Budget', 'aftale ', 'slut'], ['Bilag 1']]);
    expect(offsetToItemPosition(kept.pages[0] as (typeof kept.pages)[0], 17)).toEqual(
      offsetToItemPosition(packet.pages[0] as (typeof packet.pages)[0], 17),
    );
  });
});

describe('page lines', () => {
  it('records where pdf.js ended a line or moved the baseline, with the font size, without changing the text', () => {
    const page = buildPageText(1, [
      { str: 'Aarhus Kommune', hasEOL: false, transform: [8, 0, 0, 8, 68, 801], height: 8 },
      { str: ' ', hasEOL: false, transform: [8, 0, 0, 8, 200, 801], height: 0 },
      { str: 'Referat', hasEOL: false, transform: [8, 0, 0, 8, 300, 801], height: 8 },
      { str: 'Punkt 6: Udmøntning af', hasEOL: true, transform: [16, 0, 0, 16, 68, 745], height: 16 },
      { str: 'midlerne ', hasEOL: true, transform: [16, 0, 0, 16, 68, 725], height: 16 },
      { str: '   ', hasEOL: true },
      { str: 'Referat', hasEOL: false, transform: [11, 0, 0, 11, 68, 700] },
    ]);
    expect(page.text).toBe('Aarhus Kommune Referat Punkt 6: Udmøntning af midlerne Referat');
    expect(page.lines.map((l) => [lineText(page, l), l.size])).toEqual([
      ['Aarhus Kommune Referat', 8],
      ['Punkt 6: Udmøntning af', 16],
      ['midlerne', 16],
      ['Referat', 11],
    ]);
  });

  it('treats items without layout as one line', () => {
    const page = buildPageText(1, [{ str: 'Punkt 1: Dagsorden Referat' }]);
    expect(page.lines).toEqual([{ start: 0, end: 26, size: 0 }]);
  });
});
