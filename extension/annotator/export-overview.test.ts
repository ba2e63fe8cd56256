import { describe, expect, it } from 'vitest';
import { exportFileNameOf, exportFormatsOf } from './export-overview.ts';

describe('export in the extension', () => {
  it('offers the annotated packet only when the document is a PDF', () => {
    const pdf = { bytes: async () => new Uint8Array(), boxes: async () => new Map() };
    expect(exportFormatsOf({ pdf })).toContain('pdf');
    expect(exportFormatsOf({ pdf: null })).toEqual(['md', 'html', 'docx', 'csv', 'jsonld', 'overview-pdf']);
  });

  it('names files after the meeting date, committee and packet, without characters file systems refuse', () => {
    const source = {
      title: 'Byrådet 23/1: "budget"\u0007',
      meetingDate: '2023-01-23',
      committees: ['Socialudvalget'],
      version: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
      language: 'da' as const,
    };
    expect(exportFileNameOf(source, 'docx')).toBe('Overblik - 2023-01-23 - Socialudvalget - Byrådet 23 1 budget.docx');
    expect(exportFileNameOf(source, 'pdf')).toBe('2023-01-23 - Socialudvalget - Byrådet 23 1 budget med noter.pdf');
    expect(exportFileNameOf({ ...source, title: '  ', committees: [], language: 'en' }, 'overview-pdf')).toBe(
      'Overview - 2023-01-23 - packet.pdf',
    );
  });
});
