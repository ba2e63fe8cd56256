import { describe, expect, it } from 'vitest';
import { parseContentsEntry, parseHeading } from './agenda-grammar.ts';

describe('the heading grammar', () => {
  it.each([
    ['Punkt 3: Godkendelse af budget', 3, 'Godkendelse af budget'],
    ['Punkt 12. Eventuelt', 12, 'Eventuelt'],
    ['Pkt. 4 - Frivilligpris', 4, 'Frivilligpris'],
    ['Pkt 4 Frivilligpris', 4, 'Frivilligpris'],
    ['Dagsordenspunkt 2: Referat', 2, 'Referat'],
    ['Punkt nr. 7: Orientering', 7, 'Orientering'],
    ['Item 3: Budget 2024', 3, 'Budget 2024'],
    ['Agenda item 5 – Any other business', 5, 'Any other business'],
    ['PUNKT 6: UDMØNTNING', 6, 'UDMØNTNING'],
    ['Punkt 3', 3, ''],
  ])('reads the item heading "%s"', (line, number, title) => {
    expect(parseHeading(line)).toEqual({ kind: 'item', number, title, strength: 'keyword' });
  });

  it.each([
    ['Punkt 3, Bilag 2: Byrådsindstilling', 3, 2, 'Byrådsindstilling'],
    ['Pkt. 3 - Bilag 2: Notat', 3, 2, 'Notat'],
    ['Punkt 9, Bilag 1: Dagsorden til mødet den 25. Januar 2023.docx', 9, 1, 'Dagsorden til mødet den 25. Januar 2023.docx'],
    ['Item 4, Attachment 1: Memo', 4, 1, 'Memo'],
    ['Bilag 3.2: Høringssvar', 3, 2, 'Høringssvar'],
  ])('reads the attachment header "%s" with its item', (line, item, number, title) => {
    expect(parseHeading(line)).toEqual({ kind: 'attachment', item, number, title });
  });

  it.each([
    ['Bilag 2: Supplerende notat', 2, 'Supplerende notat'],
    ['Attachment 1 - Budget memo', 1, 'Budget memo'],
    ['Appendix B: Consultation responses', 2, 'Consultation responses'],
  ])('reads "%s" as an attachment header without its item', (line, number, title) => {
    expect(parseHeading(line)).toEqual({ kind: 'attachment', item: null, number, title });
  });

  it('reads a bare number before a capitalised title as a weak item heading', () => {
    expect(parseHeading('3. Godkendelse af regnskab')).toEqual({
      kind: 'item',
      number: 3,
      title: 'Godkendelse af regnskab',
      strength: 'numbered',
    });
  });

  it.each([
    'punkt 3 i aftalen er ændret',
    'Punkt 3 i aftalen er ændret',
    'Punkt 3.2 Økonomi',
    'Punkt 5, Bilag 2 tilføjet.',
    'Bilag til Rammeaftale 2023-24',
    'Bilag • Bilag 1: Referat',
    '20. januar 2023',
    '27 / 46',
    'Sag: 19/084872-7',
    'Punktet blev drøftet',
  ])('does not take "%s" for a heading', (line) => {
    expect(parseHeading(line)).toBeNull();
  });

  it('reads contents entries with their page, through leader dots, "side" and titles ending in numbers', () => {
    expect(parseContentsEntry('Punkt 1: Dagsorden 2')).toEqual({
      heading: { kind: 'item', number: 1, title: 'Dagsorden', strength: 'keyword' },
      page: 2,
    });
    expect(parseContentsEntry('Punkt 3: Godkendelse af Rammeaftale 23-24 ........ 5')?.page).toBe(5);
    expect(parseContentsEntry('Punkt 3: Godkendelse af Rammeaftale 23-24 ........ 5')?.heading.title).toBe(
      'Godkendelse af Rammeaftale 23-24',
    );
    expect(parseContentsEntry('Punkt 4: Budget 2024 side 17')).toMatchObject({ heading: { title: 'Budget 2024' }, page: 17 });
    expect(parseContentsEntry('Punkt 2, Bilag 1: Referat - forrige rådmandsmøde 4')).toMatchObject({
      heading: { kind: 'attachment', item: 2, number: 1 },
      page: 4,
    });
    expect(parseContentsEntry('Punkt 1: Dagsorden')).toBeNull();
  });
});
