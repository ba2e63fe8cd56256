import { type ReadPacket, readPacketFile } from '@randnoter/server/pdf/read-packet';
import type { PdfOutlineEntry } from '@randnoter/shared/agenda/agenda-references';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { AGENDA_SURE, type AgendaOutline } from '@randnoter/shared/agenda/outline';
import { buildPageText, type PageText } from '@randnoter/shared/anchoring/page-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedOutline, PACKET_V1, PACKET_V2, type Version } from '../support/packet-fixture.ts';

/** The packet without its contents page: every page one earlier, bookmarks too. */
function withoutContentsPage(pages: readonly PageText[], outline: readonly PdfOutlineEntry[]) {
  const shift = (entries: readonly PdfOutlineEntry[]): PdfOutlineEntry[] =>
    entries.map((e) => ({ title: e.title, page: e.page === null ? null : e.page - 1, children: shift(e.children) }));
  return { pages: pages.slice(1).map((p, i) => ({ ...p, page: i + 1 })), outline: shift(outline) };
}

function shifted(outline: AgendaOutline, by: number): AgendaOutline {
  return {
    ...outline,
    pages: outline.pages + by,
    items: outline.items.map((i) => ({
      ...i,
      firstPage: i.firstPage + by,
      lastPage: i.lastPage + by,
      attachments: i.attachments.map((a) => ({ ...a, firstPage: a.firstPage + by, lastPage: a.lastPage + by })),
    })),
  };
}

/** Every page inside an attachment that is neither its first page nor the packet's first, as a scan without text. */
function scannedInside(pages: readonly PageText[], outline: AgendaOutline): { pages: PageText[]; scanned: number[] } {
  const scanned = outline.items.flatMap((i) => i.attachments.flatMap((a) => range(a.firstPage + 1, a.lastPage)));
  return { pages: pages.map((p) => (scanned.includes(p.page) ? buildPageText(p.page, []) : p)), scanned };
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

describe.each([
  ['packet.pdf', PACKET_V1, 'packet'],
  ['packet.v2.pdf', PACKET_V2, 'packet_v2'],
] as Array<[string, string, Version]>)('agenda detection on the fixture %s', (_name, file, version) => {
  let packet: ReadPacket;
  const expected = expectedOutline(version);
  beforeAll(async () => {
    packet = await readPacketFile(file);
  });
  afterAll(async () => {
    await packet?.pdf.loadingTask.destroy();
  });

  it('finds every agenda item and attachment with the pages truth.json gives, and no decoy', () => {
    expect(detectAgenda(packet.text.pages, { outline: packet.outline })).toEqual(expected);
  });

  it('finds the same from the page text alone, with the outline stripped', () => {
    expect(detectAgenda(packet.text.pages)).toEqual(expected);
  });

  it('finds the same when the packet has no contents page, with and without the outline (headings alone are less sure, but sure enough)', () => {
    const stripped = withoutContentsPage(packet.text.pages, packet.outline);
    expect(detectAgenda(stripped.pages, { outline: stripped.outline })).toEqual(shifted(expected, -1));
    const fromHeadings = detectAgenda(stripped.pages);
    expect(fromHeadings).toEqual({ ...shifted(expected, -1), confidence: fromHeadings.confidence });
    expect(fromHeadings.confidence).toBeGreaterThanOrEqual(AGENDA_SURE);
    expect(fromHeadings.confidence).toBeLessThan(1);
  });

  it('puts scanned pages without text into the attachment around them', () => {
    const { pages, scanned } = scannedInside(packet.text.pages, expected);
    expect(scanned.length).toBeGreaterThan(15);
    expect(detectAgenda(pages, { outline: packet.outline })).toEqual(expected);
    expect(detectAgenda(pages)).toEqual(expected);
    // Without contents or outline, a scan before an attachment's first header might be its first page: right, but unsure.
    const guessed = detectAgenda(withoutContentsPage(pages, []).pages);
    expect(guessed).toEqual({ ...shifted(expected, -1), confidence: guessed.confidence });
    expect(guessed.confidence).toBeLessThan(AGENDA_SURE);
  });

  it('uses the outline and contents for an item whose own first page is a scan', () => {
    const blank = new Set(expected.items.map((i) => i.firstPage).filter((p) => p % 2 === 0));
    const pages = packet.text.pages.map((p) => (blank.has(p.page) ? buildPageText(p.page, []) : p));
    expect(detectAgenda(pages, { outline: packet.outline })).toEqual(expected);
    expect(detectAgenda(pages)).toEqual(expected);
  });
});
