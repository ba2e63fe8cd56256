/**
 * Fingerprints that tell one page of a packet from the others, so a page or region note can find
 * its page again in a republished version whose pages have shifted (docs/AGENDA.md, "Page
 * identity"). Both are 64-bit hashes written as 16 hex digits and compared by how many bits
 * differ, so a page that changed a little is still near its old self:
 *
 * - text: a SimHash of the page's word trigrams, with digits masked (a footer `36 / 47` and its
 *   old `35 / 46` are the same words) and case folded. Computed from the normalised page text
 *   (page-text.ts), so it is the same wherever pdf.js reads the page.
 * - image: a difference hash of the page rendered small in grey (for pages without text: scans).
 *   The caller renders; this module only reduces the pixels, so it runs in Node for tests.
 */

/** 64 bits as 16 lower-case hex digits. */
export type Hash64 = string;

export const FINGERPRINT_BITS = 64;

/** A page with fewer words than this is identified by its image: its text says too little. */
const MIN_TEXT_WORDS = 25;

/** The image hash's grid: 9 × 8 cells give 8 × 8 left-right comparisons. */
const GRID_COLUMNS = 9;
const GRID_ROWS = 8;
/**
 * Two neighbouring cells count as different only when their mean grey differs by more than this
 * (of 255): blank paper stays 0 under renderer noise instead of flipping at random.
 */
const DEAD_ZONE = 2;

/** The words of a page as fingerprints see them: letters and digits, lower case, digits masked. */
function fingerprintWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) words.push(match[0].replace(/\p{N}+/gu, '#'));
  return words;
}

const letterWordCount = (words: readonly string[]) => words.filter((w) => /\p{L}/u.test(w)).length;

/** Whether a page has words enough for a text print; the others (scans) are told apart by their image. */
export const hasTextPrint = (pageText: string) => letterWordCount(fingerprintWords(pageText)) >= MIN_TEXT_WORDS;

/** 32-bit FNV-1a with a seed, finished with murmur3's mixer (FNV alone spreads short inputs poorly). */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

function bitsToHash(bits: readonly boolean[]): Hash64 {
  let high = 0;
  let low = 0;
  for (let i = 0; i < 32; i++) {
    if (bits[i]) high |= 1 << (31 - i);
    if (bits[i + 32]) low |= 1 << (31 - i);
  }
  return hex32(high) + hex32(low);
}

/**
 * SimHash of the page's word trigrams (every trigram votes on each of the 64 bits with its own
 * hash); null when the page has fewer than MIN_TEXT_WORDS words with letters.
 */
export function textFingerprint(pageText: string): Hash64 | null {
  const words = fingerprintWords(pageText);
  if (letterWordCount(words) < MIN_TEXT_WORDS) return null;
  const votes = new Array<number>(FINGERPRINT_BITS).fill(0);
  for (let i = 0; i + 3 <= words.length; i++) {
    const shingle = `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
    const halves = [hash32(shingle, 0x9e3779b9), hash32(shingle, 0x7f4a7c15)];
    for (let bit = 0; bit < FINGERPRINT_BITS; bit++) {
      const half = halves[bit >> 5] as number;
      votes[bit] = (votes[bit] as number) + ((half >>> (31 - (bit & 31))) & 1 ? 1 : -1);
    }
  }
  return bitsToHash(votes.map((v) => v > 0));
}

/**
 * Difference hash of a grey page (one byte per pixel, row by row, 0 black to 255 white): the
 * page is cut into a 9 × 8 grid, each cell averaged over the pixel area it covers, and each bit says
 * whether a cell is darker than its right-hand neighbour by more than DEAD_ZONE. Averaging whole
 * cells (hundreds of pixels each at the rendering size the extension uses) is what makes the hash
 * stable under the small differences between renderers and browsers.
 */
export function imageFingerprint(grey: ArrayLike<number>, width: number, height: number): Hash64 {
  if (width < GRID_COLUMNS || height < GRID_ROWS || grey.length < width * height) {
    throw new RangeError(`an image fingerprint needs at least ${GRID_COLUMNS} × ${GRID_ROWS} pixels`);
  }
  const columns = cellWeights(width, GRID_COLUMNS);
  const rows = cellWeights(height, GRID_ROWS);
  const means: number[] = [];
  for (const row of rows) {
    for (const column of columns) {
      let sum = 0;
      for (const [y, wy] of row) for (const [x, wx] of column) sum += (grey[y * width + x] as number) * wx * wy;
      means.push(sum / ((width / GRID_COLUMNS) * (height / GRID_ROWS)));
    }
  }
  const bits: boolean[] = [];
  for (let row = 0; row < GRID_ROWS; row++) {
    for (let column = 0; column + 1 < GRID_COLUMNS; column++) {
      const here = means[row * GRID_COLUMNS + column] as number;
      const next = means[row * GRID_COLUMNS + column + 1] as number;
      bits.push(next - here > DEAD_ZONE);
    }
  }
  return bitsToHash(bits);
}

/**
 * For each of `cells` equal spans of `size` pixels, the pixels it covers and how much of each
 * (a pixel on a boundary is shared): a line of text that moves a little moves a little weight
 * between cells instead of jumping from one to the other.
 */
function cellWeights(size: number, cells: number): Array<Array<[number, number]>> {
  const span = size / cells;
  return Array.from({ length: cells }, (_, cell) => {
    const from = cell * span;
    const to = from + span;
    const weights: Array<[number, number]> = [];
    for (let pixel = Math.floor(from); pixel < Math.min(size, Math.ceil(to)); pixel++) {
      const weight = Math.min(to, pixel + 1) - Math.max(from, pixel);
      if (weight > 0) weights.push([pixel, weight]);
    }
    return weights;
  });
}

/** Grey (ITU-R BT.601 luma, 0..255) of RGBA pixels as a canvas gives them; transparent counts as white paper. */
export function greyOfRgba(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = (rgba[i * 4 + 3] as number) / 255;
    const luma = 0.299 * (rgba[i * 4] as number) + 0.587 * (rgba[i * 4 + 1] as number) + 0.114 * (rgba[i * 4 + 2] as number);
    grey[i] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return grey;
}

const HASH_PATTERN = /^[0-9a-f]{16}$/;
export const isHash64 = (v: unknown): v is Hash64 => typeof v === 'string' && HASH_PATTERN.test(v);

/** How many of the 64 bits differ. */
export function hammingDistance(a: Hash64, b: Hash64): number {
  let distance = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x !== 0) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
