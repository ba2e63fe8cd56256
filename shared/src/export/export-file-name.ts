/**
 * The name an export is saved under, the same from the extension and the server: the meeting date
 * and committee first, so a folder of exports sorts by meeting and two packets' exports do not
 * overwrite each other ("Overblik - 2023-01-23 - Socialudvalget - Dagsorden.csv"). Safe as a file
 * name on Windows, macOS and Linux.
 */
import { type ExportFormat, FORMATS } from './export-formats.ts';
import type { ExportLanguage } from './export-labels.ts';

export interface ExportNaming {
  /** The packet's title (its PDF title or file name). */
  title: string;
  /** YYYY-MM-DD, when the packet states it. */
  meetingDate: string | null;
  /** The committee: the groups whose comments the export holds, the preferred first. */
  committees: readonly string[];
  /** What identifies the packet's version (`urn:x-pdf:<fingerprint>`): named in part when there is no meeting date to tell packets apart. */
  source: string;
  format: ExportFormat;
  language: ExportLanguage;
  /** What the file is, first in its name: "Overblik" (Overview) unless told, e.g. "Til mødet". */
  heading?: string;
}

const MAX_TITLE = 80;
const MAX_COMMITTEE = 60;

/** Characters no file system takes, control characters and runs of space become one space. */
function safePart(text: string, max: number): string {
  return text
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .replace(/[\s.]+$/, '');
}

/** The last segment of a version urn, shortened: `urn:x-pdf:0107072ea1…` → `0107072e`. */
const shortKey = (source: string) => (source.split(':').pop() ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 8);

export function exportFileName(naming: ExportNaming): string {
  const en = naming.language === 'en';
  const date = naming.meetingDate && /^\d{4}-\d{2}-\d{2}$/.test(naming.meetingDate) ? naming.meetingDate : null;
  const committee = safePart(naming.committees.join(', '), MAX_COMMITTEE);
  const key = date ? '' : shortKey(naming.source);
  const title = safePart(naming.title, MAX_TITLE) || (en ? 'packet' : 'pakke');
  const titled = key ? `${title} (${key})` : title;
  const parts = [date, committee, titled].filter((p): p is string => Boolean(p));
  const name =
    naming.format === 'pdf'
      ? `${parts.join(' - ')} ${en ? 'with notes' : 'med noter'}`
      : [naming.heading ?? (en ? 'Overview' : 'Overblik'), ...parts].join(' - ');
  return `${name}.${FORMATS[naming.format].extension}`;
}
