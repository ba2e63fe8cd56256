import { describe, expect, it } from 'vitest';
import { exportFileName, exportFormatsOf } from './export-overview.ts';

describe('export in the extension', () => {
  it('offers the annotated packet only when the document is a PDF', () => {
    const pdf = { bytes: new Uint8Array(), boxes: async () => new Map() };
    expect(exportFormatsOf({ pdf })).toContain('pdf');
    expect(exportFormatsOf({ pdf: null })).toEqual(['md', 'html', 'docx', 'csv', 'jsonld', 'overview-pdf']);
  });

  it('names files after the packet, without characters file systems refuse', () => {
    expect(exportFileName('Byrådet 23/1: "budget"\u0007', 'docx', 'da')).toBe('Overblik - Byrådet 23 1 budget.docx');
    expect(exportFileName('Byrådet', 'pdf', 'da')).toBe('Byrådet med noter.pdf');
    expect(exportFileName('  ', 'overview-pdf', 'en')).toBe('Overview - pakke.pdf');
  });
});
