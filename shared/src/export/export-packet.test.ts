import { describe, expect, it } from 'vitest';
import { ExportError, exportPacket } from './export-packet.ts';
import type { ExportStage } from './export-progress.ts';
import { sampleNotes, sampleOutline, samplePacket } from './testing/sample-packet.ts';

const request = {
  title: 'Byrådet',
  shared: [],
  outline: sampleOutline,
  text: samplePacket,
  source: 'urn:x-pdf:abc',
  collectionId: 'urn:x:1',
};

describe('exportPacket', () => {
  it('reports its progress while anchoring many notes, and waits for the reporter (so a page can paint)', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...(sampleNotes[0] as (typeof sampleNotes)[number]), id: `n${i}` }));
    const reports: Array<[ExportStage, number, number]> = [];
    // A reporter that takes a while to finish: if the export did not wait, the next report would overlap it.
    let unfinished = false;
    const result = await exportPacket({
      ...request,
      format: 'md',
      notes: many,
      progress: async (stage, done, total) => {
        expect(unfinished).toBe(false);
        reports.push([stage, done, total]);
        unfinished = true;
        for (let hop = 0; hop < 5; hop++) await Promise.resolve();
        unfinished = false;
      },
    });
    expect(reports).toEqual([
      ['anchoring', 100, 250],
      ['anchoring', 200, 250],
    ]);
    expect(unfinished).toBe(false);
    expect(new TextDecoder().decode(result.bytes).match(/Hvem betaler\?/g)).toHaveLength(250);
  });

  it('refuses the annotated packet without the PDF, and the PDFs without a font, in words for the user', async () => {
    await expect(exportPacket({ ...request, format: 'pdf', notes: sampleNotes })).rejects.toThrow(ExportError);
    await expect(exportPacket({ ...request, format: 'overview-pdf', notes: sampleNotes })).rejects.toThrow(
      /TrueType font with Danish letters/,
    );
  });

  it('shows a note where it was re-attached in the version exported, and where it was made in the others', async () => {
    const at = (exact: string) => {
      const start = samplePacket.text.indexOf(exact);
      return {
        selectors: [
          { type: 'TextQuoteSelector' as const, exact, prefix: '', suffix: '' },
          { type: 'TextPositionSelector' as const, start, end: start + exact.length },
        ],
      };
    };
    const note = {
      ...(sampleNotes[0] as (typeof sampleNotes)[number]),
      body: 'Flyttet i v2',
      target: {
        page: 2,
        packetVersion: 'urn:x-pdf:v1',
        ...at('hæve taksterne'),
        places: [{ page: 3, packetVersion: 'urn:x-pdf:v2', ...at('Taksterne stiger') }],
      },
    };
    const markdown = async (packetVersion: string) =>
      new TextDecoder().decode((await exportPacket({ ...request, format: 'md', notes: [note], packetVersion })).bytes);
    const inV2 = await markdown('urn:x-pdf:v2');
    expect(inV2).toContain('Taksterne stiger');
    expect(inV2).not.toContain('hæve taksterne');
    const inV1 = await markdown('urn:x-pdf:v1');
    expect(inV1).toContain('hæve taksterne');
    expect(inV1).not.toContain('Taksterne stiger');
  });
});
