import { describe, expect, it } from 'vitest';
import { type AgendaBlock, detectHtmlAgenda } from './detect-html-agenda.ts';

const h = (level: number, text: string): AgendaBlock => ({ kind: 'heading', level, text });
const a = (text: string, href: string): AgendaBlock => ({ kind: 'link', text, href });

describe('agenda detection on HTML agenda pages', () => {
  it('reads items at the level their headings use and attachment links under "Bilag"', () => {
    const items = detectHtmlAgenda([
      h(1, 'Socialudvalget'),
      a('Hele dagsordenen (PDF)', '/pakke.pdf'),
      h(2, 'Dagsorden'),
      h(3, 'Pkt. 1 Godkendelse af dagsorden'),
      h(4, 'Beslutning'),
      a('Læs mere om udvalget', '/om-udvalget'),
      h(3, 'Pkt. 2 Budget 2024'),
      h(4, 'Bilag'),
      a('Notat om budget', '/bilag/123'),
      a('Høringssvar', '/bilag/124'),
      h(2, 'Kontakt'),
      a('Skriv til sekretariatet', '/kontakt.pdf'),
    ]);
    expect(items).toEqual([
      { number: 1, label: 'Pkt. 1', title: 'Godkendelse af dagsorden', block: 3, attachments: [] },
      {
        number: 2,
        label: 'Pkt. 2',
        title: 'Budget 2024',
        block: 6,
        attachments: [
          { number: 1, label: null, title: 'Notat om budget', href: '/bilag/123', block: 8 },
          { number: 2, label: null, title: 'Høringssvar', href: '/bilag/124', block: 9 },
        ],
      },
    ]);
  });

  it('numbers attachments as their link text does, and takes document links without a "Bilag" heading', () => {
    const items = detectHtmlAgenda([
      h(1, 'Item 1: Minutes'),
      a('Appendix B: Previous minutes', '/docs/minutes.docx'),
      a('Budget memo', '/docs/memo.pdf?download=1'),
      a('#top', '#top'),
    ]);
    expect(items[0]?.attachments.map((x) => [x.number, x.title])).toEqual([
      [2, 'Previous minutes'],
      [3, 'Budget memo'],
    ]);
  });

  it('uses bare numbered headings when the page has no keyword headings, skipping numbers that do not rise', () => {
    const items = detectHtmlAgenda([
      h(1, 'Dagsorden'),
      h(2, '1. Godkendelse'),
      h(2, '2. Budget'),
      h(2, '1. Indledning'),
      h(2, '3. Eventuelt'),
    ]);
    expect(items.map((i) => [i.number, i.label, i.title])).toEqual([
      [1, '1.', 'Godkendelse'],
      [2, '2.', 'Budget'],
      [3, '3.', 'Eventuelt'],
    ]);
  });

  it('accepts the same item and attachment forms as the PDF detector: "Sag 3 ·", "Bilag 3.2 –", "Bilag 2 (pkt. 3)"', () => {
    const items = detectHtmlAgenda([
      h(2, 'Sag 1 · Godkendelse af dagsorden'),
      h(2, 'Sag 2 · Budget 2025'),
      a('Bilag 2.1 – Notat om budget', '/b/1'),
      a('Bilag 2 (pkt. 2): Høringssvar', '/b/2'),
      a('Bilag 3.1 – Hører til et andet punkt', '/b/3'),
      h(2, 'Sag nr. 3: Eventuelt'),
    ]);
    expect(items.map((i) => [i.label, i.title, i.attachments.map((x) => [x.label, x.number, x.title])])).toEqual([
      ['Sag 1', 'Godkendelse af dagsorden', []],
      [
        'Sag 2',
        'Budget 2025',
        [
          ['Bilag 2.1', 1, 'Notat om budget'],
          ['Bilag 2', 2, 'Høringssvar'],
        ],
      ],
      ['Sag nr. 3', 'Eventuelt', []],
    ]);
  });

  it('learns a keyword the page repeats at one heading level with rising numbers', () => {
    const items = detectHtmlAgenda([
      h(1, 'Föredragningslista'),
      h(2, 'Ärende 1. Val av justerare'),
      h(2, 'Ärende 2. Budget'),
      h(3, 'Kapitel 1 Bakgrund'),
    ]);
    expect(items.map((i) => [i.label, i.title])).toEqual([
      ['Ärende 1', 'Val av justerare'],
      ['Ärende 2', 'Budget'],
    ]);
  });

  it('finds nothing on a page without agenda headings', () => {
    expect(detectHtmlAgenda([h(1, 'Nyheder'), a('Læs mere', '/x.pdf')])).toEqual([]);
  });
});
