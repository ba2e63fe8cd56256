import { type ReadPacket, readPacketBytes, readPacketFile } from '@randnoter/server/pdf/read-packet';
import type { PdfOutlineEntry } from '@randnoter/shared/agenda/agenda-references';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { AGENDA_SURE, type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import { buildPageText, type PageText } from '@randnoter/shared/text/page-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../fixtures/packet-gen/styles.ts';
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

describe("issue 26: a packet exported by another municipality's system", () => {
  // Items headed "Sag 3 · title", attachment pages headed "Bilag 3.2 – title", footers "Side 4 af
  // 30" that do not count the cover, a contents page titled "Dagsorden", no PDF outline. Indhold
  // showed four items with empty titles, three items were missing, every range was off by a page,
  // and notes were filed under the wrong item.
  let truthOutline: AgendaOutline;
  let detected: AgendaOutline;
  beforeAll(async () => {
    const corpus = await loadCorpus(PACKET_V1);
    const generated = await generatePacket(styleNamed('issue-26'), 26, corpus);
    const packet = await readPacketBytes(generated.bytes, 'issue-26.pdf');
    try {
      expect(packet.outline).toEqual([]);
      truthOutline = generated.truth;
      detected = detectAgenda(packet.text.pages, { outline: packet.outline });
    } finally {
      await packet.pdf.loadingTask.destroy();
    }
  });

  const ranges = (outline: AgendaOutline) =>
    outline.items.map((i) => ({
      item: [i.number, i.title, i.firstPage, i.lastPage],
      attachments: i.attachments.map((a) => [a.number, a.title, a.firstPage, a.lastPage]),
    }));

  it('finds every item with its title, and every attachment, on the right pages', () => {
    expect(truthOutline.items.length).toBeGreaterThanOrEqual(5);
    expect(ranges(detected)).toEqual(ranges(truthOutline));
  });

  it('keeps the packet\'s own labels, "Sag N" and "Bilag N.M", and is sure of them', () => {
    expect(detected.items.map((i) => [i.label, ...i.attachments.map((a) => a.label)])).toEqual(
      truthOutline.items.map((i) => [i.label, ...i.attachments.map((a) => a.label)]),
    );
    expect(detected.items[0]?.label).toMatch(/^Sag \d+$/);
    expect(detected.confidence).toBeGreaterThanOrEqual(AGENDA_SURE);
  });

  it('files a note on every page under the item and attachment it is in', () => {
    for (let page = 1; page <= truthOutline.pages; page++) {
      expect(placeOfPage(detected, page), `page ${page}`).toEqual(placeOfPage(truthOutline, page));
    }
  });
});
