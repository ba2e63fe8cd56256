import { describe, expect, it } from 'vitest';
import { type ExportNaming, exportFileName } from './export-file-name.ts';

const packet: ExportNaming = {
  title: 'Dagsorden',
  meetingDate: '2023-01-23',
  committees: ['Socialudvalget'],
  source: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
  format: 'csv',
  language: 'da',
};

describe('export file names', () => {
  it('start with the meeting date and committee, so the exports of two meetings never share a name', () => {
    expect(exportFileName(packet)).toBe('Overblik - 2023-01-23 - Socialudvalget - Dagsorden.csv');
    // Two packets with the same title (the PDFs' usual "Dagsorden"): another committee, another date.
    const names = new Set([
      exportFileName(packet),
      exportFileName({ ...packet, committees: ['Teknik- og Miljøudvalget'] }),
      exportFileName({ ...packet, meetingDate: '2023-02-20' }),
    ]);
    expect(names.size).toBe(3);
    expect(exportFileName({ ...packet, format: 'pdf' })).toBe('2023-01-23 - Socialudvalget - Dagsorden med noter.pdf');
    expect(exportFileName({ ...packet, format: 'overview-pdf', language: 'en' })).toBe(
      'Overview - 2023-01-23 - Socialudvalget - Dagsorden.pdf',
    );
  });

  it('names the packet by its version when it states no meeting date, so same-titled packets still differ', () => {
    const undated = { ...packet, meetingDate: null, committees: [] };
    expect(exportFileName(undated)).toBe('Overblik - Dagsorden (0107072e).csv');
    expect(exportFileName({ ...undated, source: 'urn:x-pdf:9f00aa11bb22' })).toBe('Overblik - Dagsorden (9f00aa11).csv');
  });

  it('lists several committees, and drops characters that file systems refuse', () => {
    const name = exportFileName({
      ...packet,
      title: 'Byrådet 23/1: "budget"\u0007 ...',
      committees: ['Socialudvalget', 'A|B'],
      format: 'docx',
    });
    expect(name).toBe('Overblik - 2023-01-23 - Socialudvalget, A B - Byrådet 23 1 budget.docx');
    expect(exportFileName({ ...packet, title: ' ', language: 'en', meetingDate: 'soon' })).toBe(
      'Overview - Socialudvalget - packet (0107072e).csv',
    );
  });

  it('keeps long titles and committees short enough for every file system', () => {
    const name = exportFileName({ ...packet, title: 'x'.repeat(500), committees: ['y'.repeat(500)] });
    expect(name.length).toBeLessThan(200);
  });
});
