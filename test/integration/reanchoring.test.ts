import { type ReadPacket, readPacketFile } from '@randnoter/server/pdf/read-packet';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { placeOfPage } from '@randnoter/shared/agenda/outline';
import { type Anchor, createAnchorer } from '@randnoter/shared/anchoring/anchor';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import { identifyPage, textPrintsOf } from '@randnoter/shared/anchoring/page-identity';
import type { Target } from '@randnoter/shared/model/annotation';
import { pageAtOffset } from '@randnoter/shared/text/page-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKET_V1, PACKET_V2, truth } from '../support/packet-fixture.ts';

interface Shift {
  agenda_item: number;
  attachment: number | null;
  packet_first_page: number;
  shift: number;
}
const shifts = (truth as unknown as { v2_changes: { section_page_shifts: Shift[] } }).v2_changes.section_page_shifts;

/** The v2 page of a v1 page, by the section shifts truth.json lists (v2 inserts a page after page 31). */
function v2PageOf(page: number): number {
  const section = shifts.filter((s) => s.packet_first_page <= page).at(-1);
  return page + (section?.shift ?? 0);
}

describe('re-anchoring notes from packet.pdf on packet.v2.pdf', () => {
  let v1: ReadPacket;
  let v2: ReadPacket;
  beforeAll(async () => {
    [v1, v2] = await Promise.all([readPacketFile(PACKET_V1), readPacketFile(PACKET_V2)]);
  });
  afterAll(async () => {
    await Promise.all([v1?.pdf.loadingTask.destroy(), v2?.pdf.loadingTask.destroy()]);
  });

  const targetOf = (packet: ReadPacket, text: string): Target => {
    const start = packet.text.text.indexOf(text);
    expect(start, text).toBeGreaterThanOrEqual(0);
    const outline = detectAgenda(packet.text.pages, { outline: packet.outline });
    return describeRange(packet.text, start, start + text.length, { outline }) as Target;
  };

  it('describes every fixture quote on packet.pdf with the context, page and agenda place truth.json gives', () => {
    for (const quote of truth.quotes) {
      const target = targetOf(v1, quote.text);
      expect(target.page, quote.id).toBe(quote.page);
      expect(target.agendaItem?.number, quote.id).toBe(quote.agenda_item);
      expect(target.attachment?.number ?? null, quote.id).toBe(quote.attachment);
      // truth.json keeps context within the page; ours runs on across a page break.
      const selector = target.selectors?.[0] as { exact: string; prefix: string; suffix: string };
      expect(selector.exact, quote.id).toBe(quote.text);
      expect(selector.prefix.endsWith(quote.prefix) && selector.suffix.startsWith(quote.suffix), quote.id).toBe(true);
    }
  });

  it('anchors every quote that survives in v2 exactly, on the page truth.json gives', () => {
    const anchor = createAnchorer(v2.text);
    for (const quote of truth.quotes.filter((q) => q.v2.exists_verbatim)) {
      const result = anchor(targetOf(v1, quote.text));
      expect(result.status, quote.id).toBe('anchored');
      expect(result.page, quote.id).toBe(quote.v2.page);
      expect(v2.text.text.slice(result.start ?? 0, result.end ?? 0), quote.id).toBe(quote.text);
    }
  });

  it('brings an edited quote back fuzzily on the edited words, or orphans it, never elsewhere', () => {
    const anchor = createAnchorer(v2.text);
    const edited = 'der skal afsættes omkring 220-250 mandetimer til opgaven per år (i praksis';
    const editedAt = v2.text.text.indexOf(edited);
    expect(editedAt).toBeGreaterThan(0);
    for (const quote of truth.quotes.filter((q) => !q.v2.exists_verbatim)) {
      const result = anchor(targetOf(v1, quote.text));
      expect(['fuzzy', 'orphaned'], quote.id).toContain(result.status);
      if (result.status === 'fuzzy') {
        expect(result.start).toBeLessThan(editedAt + edited.length);
        expect(result.end).toBeGreaterThan(editedAt);
      }
    }
  });

  it('re-anchors notes taken all over packet.pdf onto the same words, or the edited ones, in v2', () => {
    const anchor = createAnchorer(v2.text);
    const text = v1.text.text;
    const tally: Record<Anchor['status'], number> = { anchored: 0, fuzzy: 0, orphaned: 0 };
    // A note every ~500 characters, four to twenty words long, starting on a word.
    for (let at = text.indexOf(' ', 100) + 1, n = 0; at > 0 && at < text.length - 200; at = text.indexOf(' ', at + 500) + 1, n++) {
      let end = at;
      for (let w = 0; w < 4 + (n % 17); w++) end = text.indexOf(' ', end + 1);
      if (end < 0) break;
      const target = describeRange(v1.text, at, end) as Target;
      const exact = text.slice(at, end);
      const whole = text.slice(Math.max(0, at - 32), end + 32);
      if (text.indexOf(whole) !== text.lastIndexOf(whole)) continue; // ambiguous even in v1
      const result = anchor(target);
      tally[result.status]++;
      // Words still there verbatim are anchored; words that changed (a footer's page total, say) come back fuzzy.
      expect(result.status, exact).toBe(v2.text.text.includes(exact) ? 'anchored' : 'fuzzy');
      if (result.status === 'orphaned') continue;
      // Never on another page than the one the words moved to.
      expect(result.page, `${JSON.stringify(target.selectors)} -> ${JSON.stringify(result)}`).toBe(v2PageOf(pageAtOffset(v1.text, at)));
      if (result.status === 'anchored') expect(v2.text.text.slice(result.start, result.end)).toBe(exact);
    }
    expect(tally.anchored + tally.fuzzy).toBeGreaterThan(130);
  });

  it('finds a page note of every text page of packet.pdf on its page in v2, and orphans those it cannot tell by text', () => {
    const outline1 = detectAgenda(v1.text.pages, { outline: v1.outline });
    const outline2 = detectAgenda(v2.text.pages, { outline: v2.outline });
    const prints1 = { text: textPrintsOf(v1.text) };
    // As on the command line: no page images, so a page told apart only by its image cannot be found.
    const anchor = createAnchorer(v2.text, { outline: outline2, version: 'urn:x-pdf:v2' });
    const found: number[] = [];
    for (let page = 1; page <= v1.pageCount; page++) {
      // A page with too little text gets an image print in the browser; any print will do here, where none can be compared.
      const pageIdentity = identifyPage(prints1, page) ?? { image: { hash: '0123456789abcdef', nearest: 20 } };
      const result = anchor({ page, packetVersion: 'urn:x-pdf:v1', ...placeOfPage(outline1, page), pageIdentity });
      if (!prints1.text[page - 1]) {
        expect(result.status, `page ${page} has no text print`).toBe('orphaned');
        continue;
      }
      expect(result.page, `page ${page}`).toBe(v2PageOf(page));
      // The contents page and Punkt 5's page list the new attachment: changed pages come back as near, to check.
      expect(result.status, `page ${page}`).toBe(page === 1 || page === 29 ? 'fuzzy' : 'anchored');
      found.push(page);
    }
    expect(found.length).toBeGreaterThan(40);
  });
});
