import { describe, expect, it } from 'vitest';
import { buildPageText } from '../text/page-text.ts';
import { detectMeetingDate } from './meeting-date.ts';

const pages = (...texts: string[]) => texts.map((text, i) => buildPageText(i + 1, [{ str: text }]));

describe('meeting date', () => {
  it.each([
    ['Referat Mødedato: 23.01.2023 Indhold', '2023-01-23'],
    ['Mødedag mandag den 23. januar 2023 kl. 9', '2023-01-23'],
    ['Meeting date: 5 March 2024', '2024-03-05'],
    ['Mødedato 1-2-2025', '2025-02-01'],
  ])('reads %j', (text, date) => {
    expect(detectMeetingDate(pages(text))).toBe(date);
  });

  it('ignores unlabelled dates, impossible dates and pages beyond the first two', () => {
    expect(detectMeetingDate(pages('Frist 01.02.2023, møde 23.01.2023'))).toBeNull();
    expect(detectMeetingDate(pages('Mødedato: 31.02.2023'))).toBeNull();
    expect(detectMeetingDate(pages('Forside', 'Indhold', 'Mødedato: 23.01.2023'))).toBeNull();
  });
});
