import { describe, expect, it } from 'vitest';
import { greyOfRgba, hammingDistance, hasTextPrint, imageFingerprint, isHash64, textFingerprint } from './page-fingerprint.ts';
import { PAGE_MATCH } from './page-identity.ts';

const page = (body: string, footer = '7 / 46') =>
  `Punkt 7, Bilag 1: Status på MSB's arbejde ift. ukrainske flygtninge i Aarhus – Uge 3 2023 ${body} ${footer}`;
const body =
  'Aarhus Kommune har siden marts modtaget flygtninge fra Ukraine. Borgerne er visiteret til midlertidige boliger, ' +
  'og der arbejdes fortsat med at finde permanente løsninger i samarbejde med boligorganisationerne. Jobcentret har ' +
  'holdt informationsmøder om beskæftigelse og danskundervisning for de voksne.';
const other =
  'Rammeaftalen beskriver samarbejdet mellem kommunerne og regionen om det specialiserede socialområde, herunder ' +
  'styringsaftalen, udviklingsstrategien og de fælles takstprincipper, som gælder for alle tilbud i perioden.';

describe('text prints', () => {
  it('are 16 hex digits, and the same for the same words whatever the numbers (a footer that now counts one page more)', () => {
    const before = textFingerprint(page(body, '38 / 46')) as string;
    expect(isHash64(before)).toBe(true);
    expect(textFingerprint(page(body, '39 / 47'))).toBe(before);
    expect(textFingerprint(page(body.toUpperCase(), '39 / 47'))).toBe(before);
  });

  it('move a few bits for a small edit and about half of them for another page', () => {
    const before = textFingerprint(page(body)) as string;
    const edited = textFingerprint(page(body.replace('informationsmøder', 'orienteringsmøder'))) as string;
    const unrelated = textFingerprint(page(other)) as string;
    expect(hammingDistance(before, edited)).toBeGreaterThan(0);
    expect(hammingDistance(before, edited)).toBeLessThanOrEqual(10);
    expect(hammingDistance(before, unrelated)).toBeGreaterThan(16);
  });

  it('are not made for a page with too few words to tell it apart (a scan with a running header)', () => {
    const header = 'Punkt 7, Bilag 1: Status på arbejdet 38 / 46';
    expect(hasTextPrint(header)).toBe(false);
    expect(textFingerprint(header)).toBeNull();
    expect(textFingerprint('')).toBeNull();
  });
});

/** A grey test page: paper with text lines laid out by `seed`, like a scanned letter. */
function letter(seed: number, width = 128, height = 181): Uint8Array {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const grey = new Uint8Array(width * height).fill(240);
  let y = Math.floor(height * (0.12 + random() * 0.1));
  while (y < height * 0.85) {
    const lines = 2 + Math.floor(random() * 6);
    for (let line = 0; line < lines; line++, y += Math.max(2, Math.round(height / 50))) {
      const end = Math.floor(width * (line === lines - 1 ? 0.3 + random() * 0.4 : 0.85));
      for (let x = Math.floor(width * 0.1); x < end; x++) if (random() < 0.8) grey[y * width + x] = 60;
    }
    y += Math.floor(height * (0.03 + random() * 0.06));
  }
  return grey;
}

describe('image prints', () => {
  it('give one letter the same print every time, and two letters prints too far apart to pass for each other', () => {
    const a = imageFingerprint(letter(1), 128, 181);
    expect(imageFingerprint(letter(1), 128, 181)).toBe(a);
    for (const seed of [2, 3, 4, 5])
      expect(hammingDistance(a, imageFingerprint(letter(seed), 128, 181))).toBeGreaterThan(PAGE_MATCH.image.near);
  });

  it('tolerate what differs between renderers: per-pixel noise, a brighter paper, another resolution', () => {
    const a = imageFingerprint(letter(3), 128, 181);
    let state = 7;
    const noisy = letter(3).map((v) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.max(0, Math.min(255, v + ((state >>> 24) % 17) - 8)); // ±8 grey levels on every pixel
    });
    expect(hammingDistance(a, imageFingerprint(noisy, 128, 181))).toBeLessThanOrEqual(3);
    const brighter = letter(3).map((v) => Math.min(255, v + 10));
    expect(hammingDistance(a, imageFingerprint(brighter, 128, 181))).toBeLessThanOrEqual(3);
    // The same page drawn at another size (bilinear, as a canvas scales an image).
    const source = letter(3);
    const [w, h] = [150, 212];
    const resized = new Uint8Array(w * h).map((_, i) => {
      const fx = ((i % w) + 0.5) * (128 / w) - 0.5;
      const fy = (Math.floor(i / w) + 0.5) * (181 / h) - 0.5;
      const x0 = Math.max(0, Math.floor(fx));
      const y0 = Math.max(0, Math.floor(fy));
      const [x1, y1] = [Math.min(127, x0 + 1), Math.min(180, y0 + 1)];
      const [dx, dy] = [Math.max(0, fx - x0), Math.max(0, fy - y0)];
      const at = (x: number, y: number) => source[y * 128 + x] as number;
      return (at(x0, y0) * (1 - dx) + at(x1, y0) * dx) * (1 - dy) + (at(x0, y1) * (1 - dx) + at(x1, y1) * dx) * dy;
    });
    expect(hammingDistance(a, imageFingerprint(resized, w, h))).toBeLessThanOrEqual(PAGE_MATCH.image.same);
  });

  it('give blank paper all zeros, whatever its noise, so blank pages are all alike (and so never told apart)', () => {
    let state = 11;
    const paper = new Uint8Array(128 * 181).map(() => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return 236 + ((state >>> 24) % 9);
    });
    expect(imageFingerprint(paper, 128, 181)).toBe('0000000000000000');
  });

  it('read canvas pixels as grey, transparent as white paper', () => {
    expect([...greyOfRgba([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 255, 0, 0, 255], 4, 1)]).toEqual([0, 255, 255, 76]);
  });

  it('refuse an image too small for the grid', () => {
    expect(() => imageFingerprint(new Uint8Array(8 * 8), 8, 8)).toThrow(RangeError);
  });
});

describe('hamming distance', () => {
  it('counts differing bits over both halves', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
  });
});
