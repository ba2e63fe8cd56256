import { describe, expect, it } from 'vitest';
import { buildPageText, type PageText } from '../text/page-text.ts';
import { analyseAgenda, detectAgenda } from './detect-agenda.ts';
import { AGENDA_SURE } from './outline.ts';

/** A line of body text (10 pt) or [text, size]. */
type Line = string | [string, number];
const SENTENCES = [
  'Sagen blev drøftet, og indstillingen blev godkendt med de bemærkninger, der fremgår af sagen.',
  'Forvaltningen orienterede om status på arbejdet med den nye plan for området og de næste skridt.',
  'Udvalget ønsker en opfølgning på økonomien i forbindelse med budgetopfølgningen efter sommerferien.',
  'Der var enighed om at sende forslaget i høring hos de berørte parter inden den endelige beslutning.',
];
let written = 0;
/** A body line set in 10 pt; each call writes another sentence, as pages of a real packet differ. */
const body = () => `${SENTENCES[written % SENTENCES.length]} (${String.fromCharCode(97 + (written++ % 26))})`;

function page(n: number, ...lines: Line[]): PageText {
  return buildPageText(
    n,
    lines.map((line) =>
      typeof line === 'string' ? { str: line, hasEOL: true, height: 10 } : { str: line[0], hasEOL: true, height: line[1] },
    ),
  );
}
const packet = (...pages: Line[][]) => pages.map((lines, i) => page(i + 1, ...lines));
const scan = (n: number) => buildPageText(n, []);

const HEADER: Line = ['Aarhus Kommune · Socialudvalget 25.01.2023', 8];
const footer = (n: number, total: number): Line => [`${n} / ${total}`, 8];

describe('agenda detection on synthetic packets', () => {
  it('reads items from headings at the top of pages and attachments from their running headers', () => {
    const pages = packet(
      [HEADER, ['Punkt 1: Dagsorden', 16], body(), footer(1, 5)],
      [HEADER, ['Punkt 2: Budget for', 16], ['ældreområdet', 16], ['Beslutning', 11], body(), footer(2, 5)],
      [['Punkt 2, Bilag 1: Notat om budget', 8], body(), footer(3, 5)],
      [['Punkt 2, Bilag 1: Notat om budget', 8], body(), footer(4, 5)],
      [HEADER, ['Punkt 3: Eventuelt', 16], body(), footer(5, 5)],
    );
    expect(detectAgenda(pages)).toEqual({
      pages: 5,
      // Read from headings alone: sure enough, not certain.
      confidence: 0.85,
      items: [
        { number: 1, label: 'Punkt 1', title: 'Dagsorden', firstPage: 1, lastPage: 1, attachments: [] },
        {
          number: 2,
          label: 'Punkt 2',
          title: 'Budget for ældreområdet',
          firstPage: 2,
          lastPage: 4,
          attachments: [{ number: 1, label: 'Bilag 1', title: 'Notat om budget', firstPage: 3, lastPage: 4 }],
        },
        { number: 3, label: 'Punkt 3', title: 'Eventuelt', firstPage: 5, lastPage: 5, attachments: [] },
      ],
    });
  });

  it('does not take "Punkt N:" lines in earlier minutes for items, even at the top of a page without a running header', () => {
    const minutes: Line[] = [
      ['Referat', 14],
      ['Punkt 1: Godkendelse', 10],
      body(),
      ['Punkt 2: Budget', 10],
      body(),
      ['Punkt 3: Eventuelt', 10],
      body(),
    ];
    const pages = packet(
      [['Punkt 1: Godkendelse af referat', 16], body()],
      [['Punkt 1, Bilag 1: Referat fra sidste møde', 8], ...minutes],
      [['Punkt 2: Orientering', 10], body(), ['Punkt 3: Opfølgning', 10], body(), ['Punkt 4: Eventuelt', 10]],
      [['Punkt 2: Budget 2024', 16], body()],
    );
    expect(detectAgenda(pages).items.map((i) => [i.number, i.title, i.firstPage, i.lastPage])).toEqual([
      [1, 'Godkendelse af referat', 1, 3],
      [2, 'Budget 2024', 4, 4],
    ]);
  });

  it('keeps a heading in the minutes out when a contents page lists the real items', () => {
    const pages = packet(
      [['Indhold', 15], 'Punkt 1: Godkendelse af referat 2', 'Punkt 1, Bilag 1: Referat 3', 'Punkt 2: Budget 4'],
      [['Punkt 1: Godkendelse af referat', 16], body()],
      [['Punkt 2: Interessetilkendegivelse', 16], body()],
      [['Punkt 2: Budget', 16], body()],
    );
    // Page 3 lost its running header (a scan stamped badly): the contents still place the attachment.
    expect(detectAgenda(pages)).toEqual({
      pages: 4,
      confidence: 1,
      items: [
        {
          number: 1,
          label: 'Punkt 1',
          title: 'Godkendelse af referat',
          firstPage: 2,
          lastPage: 3,
          attachments: [{ number: 1, label: 'Bilag 1', title: 'Referat', firstPage: 3, lastPage: 3 }],
        },
        { number: 2, label: 'Punkt 2', title: 'Budget', firstPage: 4, lastPage: 4, attachments: [] },
      ],
    });
  });

  it('maps printed contents page numbers onto PDF pages when a cover page is unnumbered', () => {
    const pages = [
      page(1, ['Dagsorden', 20]),
      page(2, ['Indhold', 15], 'Pkt. 1 Godkendelse 2', 'Pkt. 2 Budget 3', 'Pkt. 3 Eventuelt 4'),
      page(3, ['Pkt. 1 Godkendelse', 16], body()),
      scan(4),
      page(5, ['Pkt. 3 Eventuelt', 16], body()),
    ];
    expect(detectAgenda(pages).items.map((i) => [i.number, i.title, i.firstPage, i.lastPage])).toEqual([
      [1, 'Godkendelse', 3, 3],
      [2, 'Budget', 4, 4],
      [3, 'Eventuelt', 5, 5],
    ]);
  });

  it('counts "Bilag M:" headers without the item only in sequence, so a document\'s own list of attachments is not one', () => {
    const pages = packet(
      [['Pkt. 1 Budget', 16], body(), 'Bilag 1: Notat', 'Bilag 2: Høringssvar'],
      ['Bilag 1: Notat', body()],
      ['Bilag 2: Høringssvar', body(), 'Bilag 1: Brev fra ministeriet'],
      ['Bilag 1: Brev fra ministeriet', body()],
      [['Pkt. 2 Eventuelt', 16], body()],
    );
    expect(detectAgenda(pages).items[0]?.attachments).toEqual([
      { number: 1, label: 'Bilag 1', title: 'Notat', firstPage: 2, lastPage: 2 },
      { number: 2, label: 'Bilag 2', title: 'Høringssvar', firstPage: 3, lastPage: 4 },
    ]);
  });

  it('reads English agendas with items and lettered appendices', () => {
    const pages = packet(
      [['Item 1: Minutes of the last meeting', 16], body()],
      [['Item 2: Budget 2024', 16], body()],
      [['Appendix A: Budget memo', 9], body()],
      [['Appendix B: Consultation responses', 9], body()],
    );
    expect(detectAgenda(pages).items[1]).toEqual({
      number: 2,
      label: 'Item 2',
      title: 'Budget 2024',
      firstPage: 2,
      lastPage: 4,
      attachments: [
        { number: 1, label: 'Appendix A', title: 'Budget memo', firstPage: 3, lastPage: 3 },
        { number: 2, label: 'Appendix B', title: 'Consultation responses', firstPage: 4, lastPage: 4 },
      ],
    });
  });

  it('accepts bare numbered headings set apart from the text, but not numbered lists in the body, and says it is guessing', () => {
    const pages = packet(
      [['1. Godkendelse af dagsorden', 16], body()],
      [['2. Budget', 16], '1. Resume', body()],
      ['1. Indledning', body(), '2. Økonomi'],
      [['3. Eventuelt', 16], body()],
    );
    const outline = detectAgenda(pages);
    expect(outline.items.map((i) => [i.label, i.title, i.firstPage, i.lastPage])).toEqual([
      ['1.', 'Godkendelse af dagsorden', 1, 1],
      ['2.', 'Budget', 2, 3],
      ['3.', 'Eventuelt', 4, 4],
    ]);
    // Bare numbers with nothing to confirm them could be any numbered list.
    expect(outline.confidence).toBeLessThan(AGENDA_SURE);
  });

  it('reads an item number with a footnote digit glued onto it by its place in the sequence', () => {
    const pages = packet(
      [['Punkt 1: Dagsorden', 16], body()],
      [['Punkt 2: Referat', 16], body()],
      [['Punkt 31: Frivilligpris', 16], body()],
      [['Punkt 4: Eventuelt', 16], body()],
    );
    const outline = detectAgenda(pages);
    expect(outline.items.map((i) => [i.number, i.label, i.firstPage])).toEqual([
      [1, 'Punkt 1', 1],
      [2, 'Punkt 2', 2],
      [3, 'Punkt 3', 3],
      [4, 'Punkt 4', 4],
    ]);
    // A number read without one of its digits is a guess.
    expect(outline.confidence).toBeLessThan(AGENDA_SURE);
  });

  it('follows the outline bookmarks, giving a bare "Bilag" bookmark its parent item', () => {
    const pages = packet([['Forside', 20]], [body()], [body()], [body()], [body()]);
    const outline = [
      { title: 'Forside', page: 1, children: [] },
      {
        title: 'Punkt 1: Budget',
        page: 2,
        children: [
          { title: 'Bilag 1: Notat', page: 3, children: [] },
          { title: 'Bilag 2: Høringssvar', page: 4, children: [] },
        ],
      },
      { title: 'Punkt 2: Eventuelt', page: 5, children: [] },
    ];
    expect(detectAgenda(pages, { outline })).toEqual({
      pages: 5,
      confidence: 1,
      items: [
        {
          number: 1,
          label: 'Punkt 1',
          title: 'Budget',
          firstPage: 2,
          lastPage: 4,
          attachments: [
            { number: 1, label: 'Bilag 1', title: 'Notat', firstPage: 3, lastPage: 3 },
            { number: 2, label: 'Bilag 2', title: 'Høringssvar', firstPage: 4, lastPage: 4 },
          ],
        },
        { number: 2, label: 'Punkt 2', title: 'Eventuelt', firstPage: 5, lastPage: 5, attachments: [] },
      ],
    });
  });

  it('finds nothing in a document without agenda headings', () => {
    expect(detectAgenda(packet([body()], [body()]))).toEqual({ pages: 2, items: [], confidence: 0 });
    expect(detectAgenda([])).toEqual({ pages: 0, items: [], confidence: 0 });
  });

  it('reads a packet in another system\'s words: "Sag 3 ·", "Bilag 3.2 –", footers "Side p af n" not counting the cover, contents titled "Dagsorden"', () => {
    const side = (p: number): Line => [`Side ${p} af 6`, 8];
    const pages = packet(
      [
        ['Økonomiudvalget', 20],
        ['Mødedato 12. marts 2024', 12],
      ],
      [
        ['Dagsorden', 15],
        'Sag 1 · Godkendelse af dagsorden ........ 2',
        'Sag 2 · Budget 2025 for ældreområdet ........ 3',
        'Bilag 2.1 – Notat om budget ........ 4',
        'Bilag 2.2 – Høringssvar fra Ældrerådet ........ 5',
        'Sag 3 · Eventuelt ........ 6',
        side(1),
      ],
      [['Sag 1 · Godkendelse af dagsorden', 16], body(), side(2)],
      [['Sag 2 · Budget 2025 for ældreområdet', 16], body(), side(3)],
      [['Bilag 2.1 – Notat om budget', 8], body(), side(4)],
      [['Bilag 2.2 – Høringssvar fra Ældrerådet', 8], body(), side(5)],
      [['Sag 3 · Eventuelt', 16], body(), side(6)],
    );
    expect(detectAgenda(pages)).toEqual({
      pages: 7,
      confidence: 1,
      items: [
        { number: 1, label: 'Sag 1', title: 'Godkendelse af dagsorden', firstPage: 3, lastPage: 3, attachments: [] },
        {
          number: 2,
          label: 'Sag 2',
          title: 'Budget 2025 for ældreområdet',
          firstPage: 4,
          lastPage: 6,
          attachments: [
            { number: 1, label: 'Bilag 2.1', title: 'Notat om budget', firstPage: 5, lastPage: 5 },
            { number: 2, label: 'Bilag 2.2', title: 'Høringssvar fra Ældrerådet', firstPage: 6, lastPage: 6 },
          ],
        },
        { number: 3, label: 'Sag 3', title: 'Eventuelt', firstPage: 7, lastPage: 7, attachments: [] },
      ],
    });
  });

  it('learns words it does not know from the contents page, and places attachments the contents lists without a header on their pages', () => {
    const pages = packet(
      [
        ['Föredragningslista', 15],
        'Ärende 1. Val av justerare 2',
        'Ärende 2. Budget 2025 3',
        'Bilaga 1. Tjänsteskrivelse 4',
        'Bilaga 2. Protokollsutdrag 5',
        'Ärende 3. Övrigt 6',
      ],
      [['Ärende 1. Val av justerare', 16], body()],
      [['Ärende 2. Budget 2025', 16], body()],
      [body(), body()],
      [body(), body()],
      [['Ärende 3. Övrigt', 16], body()],
    );
    const outline = detectAgenda(pages);
    expect(outline.items.map((i) => [i.label, i.title, i.firstPage, i.lastPage])).toEqual([
      ['Ärende 1', 'Val av justerare', 2, 2],
      ['Ärende 2', 'Budget 2025', 3, 5],
      ['Ärende 3', 'Övrigt', 6, 6],
    ]);
    expect(outline.items[1]?.attachments).toEqual([
      { number: 1, label: 'Bilaga 1', title: 'Tjänsteskrivelse', firstPage: 4, lastPage: 4 },
      { number: 2, label: 'Bilaga 2', title: 'Protokollsutdrag', firstPage: 5, lastPage: 5 },
    ]);
    expect(outline.confidence).toBeGreaterThanOrEqual(AGENDA_SURE);
  });

  it('reads attachments named "Bilag 2 (pkt. 3)" as attachments of that item', () => {
    const pages = packet([['Pkt. 1 - Budget', 16], body()], [['Bilag 1 (pkt. 1): Notat', 8], body()], [['Pkt. 2 - Eventuelt', 16], body()]);
    expect(detectAgenda(pages).items[0]?.attachments).toEqual([{ number: 1, label: 'Bilag 1', title: 'Notat', firstPage: 2, lastPage: 2 }]);
  });

  it('says it is unsure when the contents and the headings disagree about where an item starts', () => {
    const pages = packet(
      [['Indhold', 15], 'Punkt 1: Budget 2', 'Punkt 2: Skole 3', 'Punkt 3: Eventuelt 4'],
      [['Punkt 1: Budget', 16], body()],
      [['Punkt 2: Skole', 16], body()],
      [body(), body()],
      [['Punkt 3: Eventuelt', 16], body()],
    );
    const { outline, doubts } = analyseAgenda(pages);
    expect(outline.confidence).toBeLessThan(AGENDA_SURE);
    expect(doubts.map((d) => d.reason)).toContain('Punkt 3 is listed on page 4, but its heading stands on page 5');
  });

  it('says it is unsure when nothing on the pages confirms the page numbers of the contents', () => {
    const pages = packet(
      [['Agenda', 15], 'Item 1: Minutes 2', 'Item 2: Budget 3', 'Item 3: Any other business 4'],
      [body()],
      [body()],
      [body()],
    );
    const outline = detectAgenda(pages);
    expect(outline.items.map((i) => [i.label, i.firstPage])).toEqual([
      ['Item 1', 2],
      ['Item 2', 3],
      ['Item 3', 4],
    ]);
    expect(outline.confidence).toBeLessThan(AGENDA_SURE);
  });

  it("does not take an item page's list of its attachments for a running header, even at the top of a page", () => {
    const pages = packet(
      [['Punkt 1: Budget', 16], body(), body()],
      [['Bilag', 11], 'Punkt 1, Bilag 1: Notat om økonomi', 'Punkt 1, Bilag 2: Høringssvar', body()],
      [['Punkt 1, Bilag 1: Notat om økonomi', 8], body()],
      [['Punkt 1, Bilag 2: Høringssvar', 8], body()],
      [['Punkt 2: Eventuelt', 16], body()],
    );
    expect(detectAgenda(pages).items[0]?.attachments.map((a) => [a.label, a.firstPage, a.lastPage])).toEqual([
      ['Bilag 1', 3, 3],
      ['Bilag 2', 4, 4],
    ]);
  });

  it('does not take titles that end in a year for contents entries ("Budget 2025" is not page 2025)', () => {
    const pages = packet(
      [['Sag 1 · Budget 2025', 16], body(), 'Bilag 1.1 – Takster 2025', 'Bilag 1.2 – Tidsplan 2025-2026', body()],
      [['Bilag 1.1 – Takster 2025', 8], body()],
      [['Sag 2 · Regnskab 2024', 16], body()],
    );
    expect(detectAgenda(pages).items.map((i) => [i.label, i.title, i.firstPage, i.lastPage])).toEqual([
      ['Sag 1', 'Budget 2025', 1, 2],
      ['Sag 2', 'Regnskab 2024', 3, 3],
    ]);
  });
});
