import { describe, expect, it } from 'vitest';
import { normaliseUrl } from '../identity/normalise-url.ts';
import { buildPageText, type PageText } from '../text/page-text.ts';
import { type LinkedItem, PLACED_CONFIDENCE, placeHtmlAgenda } from './place-html-agenda.ts';

const PDF = 'https://example.org/moede/packet.pdf';

/** A packet of pages, each given as its lines. */
function packet(pages: string[][]): PageText[] {
  return pages.map((lines, i) =>
    buildPageText(
      i + 1,
      lines.map((str) => ({ str, hasEOL: true })),
    ),
  );
}

/**
 * The bare-numbers style: "N) Title" item headings nothing confirms, "Bilag N: title" on every
 * attachment page, a listing of attachments on an item page, and decoys.
 */
const PAGES = packet([
  ['1) Evaluering af forsøg med gratis buskort til unge under 18', 'år', 'Baggrund', 'Bilag', 'Bilag 1: Evalueringsrapport'],
  ['Bilag 1: Evalueringsrapport', 'Evalueringsrapport', '1. Resume'],
  ['Bilag 1: Evalueringsrapport', 'Side uden yderligere tekst.'],
  ['2) Høring om ny skolestruktur i Midtbyen', 'Resume', 'Teksten fortsætter.'],
  ['3) Trafiksikkerhedsplan 2025-2030', 'Sagsfremstilling', 'Teksten fortsætter.'],
  ['Teksten fortsætter på en side uden overskrift.'],
  ['Bilag 1: Tidsplan for projektet', 'Tidsplan for projektet', '1. Resume'],
  ['Bilag 1: Tidsplan for projektet', 'Mere tekst.'],
  ['Bilag 2: Notat om økonomi', 'Notat om økonomi', '1. Resume'],
]);

const items = (): LinkedItem[] => [
  {
    number: 1,
    label: 'Punkt 1',
    title: 'Evaluering af forsøg med gratis buskort til unge under 18 år',
    attachments: [{ number: 1, label: 'Bilag 1', title: 'Evalueringsrapport', href: `${PDF}#page=2` }],
  },
  { number: 2, label: 'Punkt 2', title: 'Høring om ny skolestruktur i Midtbyen', attachments: [] },
  {
    number: 3,
    label: 'Punkt 3',
    title: 'Trafiksikkerhedsplan 2025-2030',
    attachments: [
      { number: 1, label: 'Bilag 1', title: 'Tidsplan for projektet', href: `${PDF}#page=7` },
      { number: 2, label: 'Bilag 2', title: 'Notat om økonomi', href: 'https://example.org/moede/bilag-notat.pdf' },
    ],
  },
];

const place = (linked: LinkedItem[], pages = PAGES) =>
  placeHtmlAgenda(linked, { url: normaliseUrl(PDF) as string, pages, normalise: normaliseUrl });
const ranges = (outline: ReturnType<typeof place>) =>
  outline?.items.map((i) => [i.label, i.firstPage, i.lastPage, i.attachments.map((a) => [a.label, a.firstPage, a.lastPage])]);

describe('placeHtmlAgenda', () => {
  it('places items by their titles (wrapped, after another label) and attachments by their page links or running headers', () => {
    const outline = place(items());
    expect(outline?.confidence).toBe(PLACED_CONFIDENCE);
    expect(outline?.pages).toBe(9);
    expect(ranges(outline)).toEqual([
      ['Punkt 1', 1, 3, [['Bilag 1', 2, 3]]],
      ['Punkt 2', 4, 4, []],
      [
        'Punkt 3',
        5,
        9,
        [
          ['Bilag 1', 7, 8],
          ['Bilag 2', 9, 9],
        ],
      ],
    ]);
  });

  it('stays unsure when a title stands nowhere on the pages', () => {
    const linked = items();
    (linked[1] as LinkedItem).title = 'Et punkt som pakken ikke har';
    expect(place(linked)).toBeNull();
  });

  it('stays unsure when a page link names a page that does not carry the attachment, or lies outside its item', () => {
    const wrongPage = items();
    (wrongPage[2] as LinkedItem).attachments[0] = { number: 1, label: 'Bilag 1', title: 'Tidsplan for projektet', href: `${PDF}#page=6` };
    expect(place(wrongPage)).toBeNull();
    const outside = items();
    (outside[0] as LinkedItem).attachments[0] = { number: 1, label: 'Bilag 1', title: 'Tidsplan for projektet', href: `${PDF}#page=7` };
    expect(place(outside)).toBeNull();
  });

  it('does not take an item page’s list of attachments for the attachment, and stays unsure when that leaves two places', () => {
    // Without its page link, "Bilag 1: Evalueringsrapport" stands on page 1 (the list) and on pages 2-3: the list is on the item's own first page.
    const unlinked = items();
    (unlinked[0] as LinkedItem).attachments[0] = {
      number: 1,
      label: 'Bilag 1',
      title: 'Evalueringsrapport',
      href: 'https://example.org/b1.pdf',
    };
    expect(ranges(place(unlinked))?.[0]).toEqual(['Punkt 1', 1, 3, [['Bilag 1', 2, 3]]]);
    // The same header on two runs of pages within the item: which one begins the attachment is not known.
    const twice = packet([
      ...PAGES.map((p) => p.lines.map((l) => p.text.slice(l.start, l.end))).slice(0, 3),
      ['Bilag 1: Evalueringsrapport'],
      ['2) Høring om ny skolestruktur i Midtbyen'],
    ]);
    const two = items().slice(0, 2);
    (two[0] as LinkedItem).attachments[0] = {
      number: 1,
      label: 'Bilag 1',
      title: 'Evalueringsrapport',
      href: 'https://example.org/b1.pdf',
    };
    const withGap = packet([
      ['1) Evaluering af forsøg med gratis buskort til unge under 18 år'],
      ['Bilag 1: Evalueringsrapport'],
      ['Teksten fortsætter.'],
      ['Bilag 1: Evalueringsrapport'],
      ['2) Høring om ny skolestruktur i Midtbyen'],
    ]);
    expect(place(two, twice)).not.toBeNull();
    expect(place(two, withGap)).toBeNull();
  });

  it('stays unsure when a title heads two pages and the order cannot decide', () => {
    const repeated = packet([
      ['1) Evaluering af forsøg med gratis buskort til unge under 18 år'],
      ['Referat fra sidste møde', '2) Høring om ny skolestruktur i Midtbyen'],
      ['2) Høring om ny skolestruktur i Midtbyen'],
      ['3) Trafiksikkerhedsplan 2025-2030'],
    ]);
    const linked = items().map((i) => ({ ...i, attachments: [] }));
    expect(place(linked, repeated)).toBeNull();
    // The order decides when only one of the pages fits between its neighbours.
    const ordered = packet([
      ['2) Høring om ny skolestruktur i Midtbyen'],
      ['1) Evaluering af forsøg med gratis buskort til unge under 18 år'],
      ['2) Høring om ny skolestruktur i Midtbyen'],
      ['3) Trafiksikkerhedsplan 2025-2030'],
    ]);
    expect(ranges(place(linked, ordered))?.map((r) => r[1])).toEqual([2, 3, 4]);
  });

  it('prefers the heading with the item’s number to a line that is only the title', () => {
    const subheadings = packet([
      ['1) Referat', 'Referat'],
      ['2) Budget', 'Referat'],
    ]);
    const linked: LinkedItem[] = [
      { number: 1, label: 'Punkt 1', title: 'Referat', attachments: [] },
      { number: 2, label: 'Punkt 2', title: 'Budget', attachments: [] },
    ];
    expect(ranges(place(linked, subheadings))?.map((r) => r[1])).toEqual([1, 2]);
  });

  it('does not start an item on a page that lists the items (a contents page)', () => {
    const withContents = packet([['Dagsorden', '1) Referat', '2) Budget'], ['1) Referat'], ['2) Budget']]);
    const linked: LinkedItem[] = [
      { number: 1, label: 'Punkt 1', title: 'Referat', attachments: [] },
      { number: 2, label: 'Punkt 2', title: 'Budget', attachments: [] },
    ];
    expect(ranges(place(linked, withContents))?.map((r) => r[1])).toEqual([2, 3]);
  });

  it('needs a title to end where a line ends: "Referat" is not the start of "Referat fra sidste møde"', () => {
    const pages = packet([['Referat fra sidste møde'], ['Budget']]);
    expect(place([{ number: 1, label: 'Punkt 1', title: 'Referat', attachments: [] }], pages)).toBeNull();
  });
});
