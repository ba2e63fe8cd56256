/**
 * The meeting date of a packet, when its first pages state it: "Mødedato: 23.01.2023",
 * "Mødedag 23. januar 2023", "Meeting date: 23 January 2023". Only a date next to such a label
 * counts; a packet full of other dates (deadlines, earlier meetings) must not be guessed at.
 */
import type { PageText } from '../text/page-text.ts';

const MONTHS: Record<string, number> = {
  januar: 1,
  january: 1,
  jan: 1,
  februar: 2,
  february: 2,
  feb: 2,
  marts: 3,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  maj: 5,
  may: 5,
  juni: 6,
  june: 6,
  jun: 6,
  juli: 7,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  october: 10,
  okt: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const LABEL = '(?:mødedato|mødedag|mødetidspunkt|dato for mødet|meeting date|date of meeting)';
// Made at each use, not kept: V8 keeps a regular expression's compiled code while the object
// lives (agenda-grammar.ts says why that matters).
const NUMERIC = String.raw`${LABEL}\s*:?\s*(?:\p{L}+dag\s+)?(\d{1,2})[./-](\d{1,2})[./-](\d{4})`;
const WORDED = String.raw`${LABEL}\s*:?\s*(?:\p{L}+dag\s+(?:den\s+)?)?(\d{1,2})\.?\s+(\p{L}+)\.?\s+(\d{4})`;

function iso(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** ISO date (YYYY-MM-DD) from the first pages, or null when no labelled date is found. */
export function detectMeetingDate(pages: readonly PageText[], pagesToRead = 2): string | null {
  for (const page of pages.slice(0, pagesToRead)) {
    const numeric = new RegExp(NUMERIC, 'iu').exec(page.text);
    if (numeric) {
      const found = iso(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]));
      if (found) return found;
    }
    const worded = new RegExp(WORDED, 'iu').exec(page.text);
    const month = worded ? MONTHS[(worded[2] as string).toLowerCase()] : undefined;
    if (worded && month) {
      const found = iso(Number(worded[3]), month, Number(worded[1]));
      if (found) return found;
    }
  }
  return null;
}
