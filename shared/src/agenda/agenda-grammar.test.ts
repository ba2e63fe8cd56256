import { describe, expect, it } from 'vitest';
import { headingText, makeVocabulary, parseContentsEntry, parseHeading, readLabel } from './agenda-grammar.ts';

describe('the heading grammar', () => {
  it.each([
    ['Punkt 3: Godkendelse af budget', 3, 'Godkendelse af budget', 'Punkt 3'],
    ['Punkt 12. Eventuelt', 12, 'Eventuelt', 'Punkt 12'],
    ['Pkt. 4 - Frivilligpris', 4, 'Frivilligpris', 'Pkt. 4'],
    ['Pkt 4 Frivilligpris', 4, 'Frivilligpris', 'Pkt 4'],
    ['Dagsordenspunkt 2: Referat', 2, 'Referat', 'Dagsordenspunkt 2'],
    ['Punkt nr. 7: Orientering', 7, 'Orientering', 'Punkt nr. 7'],
    ['Item 3: Budget 2024', 3, 'Budget 2024', 'Item 3'],
    ['Agenda item 5 – Any other business', 5, 'Any other business', 'Agenda item 5'],
    ['PUNKT 6: UDMØNTNING', 6, 'UDMØNTNING', 'PUNKT 6'],
    ['Punkt 3', 3, '', 'Punkt 3'],
    ['Sag 3 · Godkendelse af budget', 3, 'Godkendelse af budget', 'Sag 3'],
    ['Sag nr. 3: Budget', 3, 'Budget', 'Sag nr. 3'],
    ['TOP 3: Haushalt', 3, 'Haushalt', 'TOP 3'],
    ['Sag 3 | Budget', 3, 'Budget', 'Sag 3'],
    ['Sag 3 - Kapitel 2: Økonomi', 3, 'Kapitel 2: Økonomi', 'Sag 3'],
  ])('reads the item heading "%s"', (line, number, title, label) => {
    expect(parseHeading(line)).toEqual({ kind: 'item', number, title, strength: 'keyword', label });
  });

  it.each([
    ['Punkt 3, Bilag 2: Byrådsindstilling', 3, 2, 'Byrådsindstilling', 'Bilag 2', 'Punkt 3'],
    ['Pkt. 3 - Bilag 2: Notat', 3, 2, 'Notat', 'Bilag 2', 'Pkt. 3'],
    [
      'Punkt 9, Bilag 1: Dagsorden til mødet den 25. Januar 2023.docx',
      9,
      1,
      'Dagsorden til mødet den 25. Januar 2023.docx',
      'Bilag 1',
      'Punkt 9',
    ],
    ['Item 4, Attachment 1: Memo', 4, 1, 'Memo', 'Attachment 1', 'Item 4'],
    ['Bilag 3.2: Høringssvar', 3, 2, 'Høringssvar', 'Bilag 3.2', null],
    ['Bilag 3.2 – Høringssvar', 3, 2, 'Høringssvar', 'Bilag 3.2', null],
    ['Bilag 2 (pkt. 3): Notat', 3, 2, 'Notat', 'Bilag 2', 'pkt. 3'],
    ['Bilag 2: Notat (til punkt 3)', 3, 2, 'Notat', 'Bilag 2', 'punkt 3'],
    ['Bilag 23.3 – RDM-indstilling budgettilførsel.docx', 23, 3, 'RDM-indstilling budgettilførsel.docx', 'Bilag 23.3', null],
  ])('reads the attachment header "%s" with its item', (line, item, number, title, label, itemLabel) => {
    expect(parseHeading(line)).toEqual({ kind: 'attachment', item, number, title, label, itemLabel });
  });

  it.each([
    ['Bilag 2: Supplerende notat', 2, 'Supplerende notat', 'Bilag 2'],
    ['Attachment 1 - Budget memo', 1, 'Budget memo', 'Attachment 1'],
    ['Appendix B: Consultation responses', 2, 'Consultation responses', 'Appendix B'],
    ['Anlage 4: Stellungnahme', 4, 'Stellungnahme', 'Anlage 4'],
  ])('reads "%s" as an attachment header without its item', (line, number, title, label) => {
    expect(parseHeading(line)).toEqual({ kind: 'attachment', item: null, number, title, label, itemLabel: null });
  });

  it('reads a bare number before a capitalised title as a weak item heading, keeping its punctuation in the label', () => {
    expect(parseHeading('3. Godkendelse af regnskab')).toEqual({
      kind: 'item',
      number: 3,
      title: 'Godkendelse af regnskab',
      strength: 'numbered',
      label: '3.',
    });
    expect(parseHeading('3) Budget')).toMatchObject({ label: '3)', number: 3 });
  });

  it.each([
    'punkt 3 i aftalen er ændret',
    'Punkt 3 i aftalen er ændret',
    'Punkt 3.2 Økonomi',
    'Punkt 5, Bilag 2 tilføjet.',
    'Bilag til Rammeaftale 2023-24',
    'Bilag • Bilag 1: Referat',
    'Bilag 2 viser udviklingen',
    '20. januar 2023',
    '27 / 46',
    'Side 4 af 30',
    'Sag: 19/084872-7',
    'Sag 19/084872-7',
    'Punktet blev drøftet',
    'Kapitel 3: Økonomi',
    'Ärende 3: Budget',
  ])('does not take "%s" for a heading with the usual words', (line) => {
    expect(parseHeading(line)).toBeNull();
  });

  it('reads the keywords a packet taught it', () => {
    const swedish = makeVocabulary(['ärende'], ['bilaga']);
    expect(parseHeading('Ärende 3: Budget', swedish)).toMatchObject({ kind: 'item', number: 3, label: 'Ärende 3' });
    expect(parseHeading('Bilaga 3.1 – Tjänsteskrivelse', swedish)).toMatchObject({ kind: 'attachment', item: 3, number: 1 });
    expect(parseHeading('Punkt 3: Budget', swedish)).toBeNull();
  });

  it('reads the label shape without knowing the words', () => {
    expect(readLabel('Kapitel 3: Økonomi')).toMatchObject({ first: { key: 'kapitel', number: 3 }, title: 'Økonomi' });
    expect(readLabel('Sag nr. 3: Budget')?.first).toMatchObject({ word: 'Sag nr.', key: 'sag', text: 'Sag nr. 3' });
    expect(readLabel('Punkt 3, Bilag 2: Notat')?.second).toMatchObject({ key: 'bilag', number: 2 });
    expect(readLabel('Bilag 3.2: Notat')?.first).toMatchObject({ number: 3, minor: 2 });
    expect(readLabel('Budget for 2024')).toBeNull();
  });

  it('reads contents entries with their page, through leader dots, dashes, "side" and titles ending in numbers', () => {
    expect(parseContentsEntry('Punkt 1: Dagsorden 2')).toEqual({
      heading: { kind: 'item', number: 1, title: 'Dagsorden', strength: 'keyword', label: 'Punkt 1' },
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
    expect(parseContentsEntry('Sag 3 · Udfordringer – vinterhjælp – 12')).toMatchObject({
      heading: { label: 'Sag 3', title: 'Udfordringer – vinterhjælp' },
      page: 12,
    });
    expect(parseContentsEntry('Punkt 1: Dagsorden')).toBeNull();
  });

  it('does not read a line longer than any contents entry as one (a run of thousands of dots would take quadratic time)', () => {
    expect(parseContentsEntry(`Punkt 1: Budget ${'.'.repeat(20_000)} 4`)).toBeNull();
    expect(parseContentsEntry(`Punkt 1: Budget ${'.'.repeat(200)} 4`)).toMatchObject({ page: 4 });
  });

  it("writes a heading with the packet's own label", () => {
    expect(headingText('Sag 3', 'Budget')).toBe('Sag 3: Budget');
    expect(headingText('3.', 'Budget')).toBe('3. Budget');
    expect(headingText('Bilag 3.2', '')).toBe('Bilag 3.2');
  });
});
