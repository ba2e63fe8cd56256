import { describe, expect, it } from 'vitest';
import type { PageIdentity } from '../model/annotation.ts';
import { buildPacketText, buildPageText } from '../text/page-text.ts';
import { hammingDistance } from './page-fingerprint.ts';
import { findPage, identifyPage, type PacketPrints, textPrintsOf } from './page-identity.ts';

/** Flips the lowest `bits` bits of a hash: a print that many bits away. */
const flip = (hash: string, bits: number) => {
  const low = Number.parseInt(hash.slice(8), 16) ^ ((2 ** bits - 1) >>> 0);
  return hash.slice(0, 8) + (low >>> 0).toString(16).padStart(8, '0');
};

const A = '0c06130b23272820';
const B = '010c6703070f0320';
const C = '600f330333471720';

describe('identifying a page', () => {
  it('records its print and how far the nearest other page of its kind was', () => {
    const prints: PacketPrints = { text: [null, null, null], image: [A, B, C] };
    expect(identifyPage(prints, 2)).toEqual({ image: { hash: B, nearest: Math.min(hammingDistance(B, A), hammingDistance(B, C)) } });
    expect(identifyPage({ text: [null] }, 1)).toBeUndefined(); // a scan where nothing could be rendered
  });
});

describe('finding a page again', () => {
  const scan = (hash: string, nearest = 16): PageIdentity => ({ image: { hash, nearest } });

  it('finds a scan that moved one page on, exactly', () => {
    expect(findPage(scan(B), { text: [null, null, null, null], image: [null, C, A, B] })).toEqual({ status: 'anchored', page: 4 });
  });

  it('takes a print a few bits off (another browser drew it) as the same page, and a few more as near', () => {
    expect(findPage(scan(B), { text: [null, null], image: [A, flip(B, 3)] })).toEqual({ status: 'anchored', page: 2 });
    expect(findPage(scan(B), { text: [null, null], image: [A, flip(B, 6)] })).toEqual({ status: 'fuzzy', page: 2 });
    expect(findPage(scan(B), { text: [null, null], image: [A, flip(B, 9)] })).toEqual({ status: 'orphaned', page: null });
  });

  it('orphans a note when two pages match about equally well', () => {
    expect(findPage(scan(B), { text: [null, null], image: [B, flip(B, 1)] }).status).toBe('orphaned');
    expect(findPage(scan('0000000000000000'), { text: [null, null], image: ['0000000000000000', '0000000000000000'] }).status).toBe(
      'orphaned',
    );
  });

  it('orphans a note whose page had a near twin when it was made: with the page gone, the twin is not it', () => {
    // The page was 4 bits from its twin; in this version only something 3 bits off is left.
    expect(findPage(scan(B, 4), { text: [null], image: [flip(B, 3)] }).status).toBe('orphaned');
    expect(findPage(scan(B, 4), { text: [null], image: [flip(B, 1)] })).toEqual({ status: 'anchored', page: 1 });
  });

  it('looks only at the pages the agenda place allows', () => {
    expect(findPage(scan(B), { text: [null, null], image: [B, A] }, (page) => page !== 1).status).toBe('orphaned');
  });

  it('cannot find a scan where pages are not rendered (the command line), and says so rather than guess', () => {
    expect(findPage(scan(B), { text: [null, null] })).toEqual({ status: 'orphaned', page: null });
  });

  it('finds a text page by its words after the pages before it shifted, and an edited one as near', () => {
    const minutes =
      'Punkt 9, Bilag 1: Dagsorden Social- og Beskæftigelsesudvalget behandlede budgettet på mødet, og forvaltningen fremlagde ' +
      'en status med tal for antallet af borgere, ventetider, økonomi og de initiativer, som er sat i gang siden sidst.';
    const memo = (who: string) =>
      `Punkt 9, Bilag 2: Notat Rådmanden orienterede om ${who} og om samarbejdet med boligorganisationerne om midlertidige ` +
      'boliger, hvor der fortsat mangler pladser til de familier, der er kommet til byen i løbet af efteråret og vinteren. ' +
      'Jobcentret har holdt informationsmøder om beskæftigelse, og sprogskolen har oprettet ekstra hold i dansk for voksne.';
    const packet = (...pages: string[]) => buildPacketText(pages.map((t, i) => buildPageText(i + 1, [{ str: t }])));
    const v1Prints = { text: textPrintsOf(packet('Indhold', minutes, memo('situationen'))) };
    const v2Prints = { text: textPrintsOf(packet('Indhold', 'Nyt bilag', minutes, memo('udviklingen'))) };
    expect(findPage(identifyPage(v1Prints, 2) as PageIdentity, v2Prints)).toEqual({ status: 'anchored', page: 3 });
    expect(findPage(identifyPage(v1Prints, 3) as PageIdentity, v2Prints)).toEqual({ status: 'fuzzy', page: 4 });
  });

  it('orphans a text page whose words now stand, edited, where its near twin was', () => {
    const twin = (topic: string) =>
      `Punkt 9, Bilag 1: Dagsorden Social- og Beskæftigelsesudvalget behandlede ${topic} på mødet, og forvaltningen ` +
      'fremlagde en status med tal for antallet af borgere, ventetider, økonomi og de initiativer, som er sat i gang siden sidst.';
    const packet = (...pages: string[]) => buildPacketText(pages.map((t, i) => buildPageText(i + 1, [{ str: t }])));
    const v1Prints = { text: textPrintsOf(packet('Indhold', twin('budgettet'), twin('handleplanen'))) };
    const v2Prints = { text: textPrintsOf(packet('Indhold', twin('handleplanen for hjemløse'))) };
    expect(findPage(identifyPage(v1Prints, 2) as PageIdentity, v2Prints).status).toBe('orphaned');
  });
});
