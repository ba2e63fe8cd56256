/** The rdm-2023-01 fixture: its files and its ground truth (truth.json) in the shapes the code uses. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';

export const FIXTURE_DIR = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
export const PACKET_V1 = join(FIXTURE_DIR, 'packet.pdf');
export const PACKET_V2 = join(FIXTURE_DIR, 'packet.v2.pdf');

export type Version = 'packet' | 'packet_v2';

interface Range {
  first_page: number;
  last_page: number;
}

interface TruthQuote {
  id: string;
  text: string;
  page: number;
  agenda_item: number;
  attachment: number | null;
  prefix: string;
  suffix: string;
  v2: { exists_verbatim: boolean; page: number | null };
}

interface Truth {
  packet: { page_count: number };
  packet_v2: { page_count: number };
  agenda_items: Array<{
    number: number;
    title: string;
    packet: Range | null;
    packet_v2: Range | null;
    attachments: Array<{ number: number; title: string; packet: Range | null; packet_v2: Range | null }>;
  }>;
  quotes: TruthQuote[];
  decoy_headings: Array<{ page: number; text: string }>;
}

export const truth = JSON.parse(readFileSync(join(FIXTURE_DIR, 'truth.json'), 'utf8')) as Truth;

/** The agenda truth.json gives for one version, as detectAgenda should return it (the packet says "Punkt N", "Bilag M"; sure). */
export function expectedOutline(version: Version): AgendaOutline {
  return {
    pages: truth[version].page_count,
    confidence: 1,
    items: truth.agenda_items.flatMap((item) => {
      const range = item[version];
      if (!range) return [];
      return [
        {
          number: item.number,
          label: `Punkt ${item.number}`,
          title: item.title,
          firstPage: range.first_page,
          lastPage: range.last_page,
          attachments: item.attachments.flatMap((a) => {
            const r = a[version];
            return r
              ? [{ number: a.number, label: `Bilag ${a.number}`, title: a.title, firstPage: r.first_page, lastPage: r.last_page }]
              : [];
          }),
        },
      ];
    }),
  };
}
