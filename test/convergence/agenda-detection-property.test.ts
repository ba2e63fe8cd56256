/**
 * Property: whatever conventions a meeting system uses (test/fixtures/packet-gen/styles.ts),
 * agenda detection is either right or says it is unsure. A packet is generated per style and
 * seed, written as a PDF and read back with pdf.js as the product reads it; whenever detection
 * is sure, every agenda item and attachment must be exactly the truth (number, label, title,
 * first and last page), none invented. A packet of a style that states its structure may be
 * unsure only for an ambiguity the style declares (a scan before an attachment that nothing
 * lists), and each such style has sure packets too, so the property is not bought by saying
 * "unsure" everywhere; a style that cannot be known (bare numbers, nothing to confirm them) must
 * always say it is unsure.
 * Seeded, so a failure names its style and seed and replays; `RANDNOTER_AGENDA_SEEDS=40` for a
 * longer run.
 */
import { readPacketBytes } from '@randnoter/server/pdf/read-packet';
import { analyseAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { AGENDA_SURE, type AgendaOutline } from '@randnoter/shared/agenda/outline';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { STYLES } from '../fixtures/packet-gen/styles.ts';
import { PACKET_V1 } from '../support/packet-fixture.ts';

const SEEDS = Number(process.env.RANDNOTER_AGENDA_SEEDS ?? 5);
/** Items of the long agenda: its contents takes more than one page in every style. */
const LONG_AGENDA = 25;

const structure = ({ confidence: _, ...outline }: AgendaOutline) => outline;

describe('agenda detection on generated packets in many conventions', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(PACKET_V1);
  });

  it.each(STYLES.map((s) => [s.name, s] as const))(`%s: exact whenever sure (${SEEDS} seeds)`, async (_name, style) => {
    let sure = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const generated = await generatePacket(style, seed, corpus);
      const packet = await readPacketBytes(generated.bytes, `${style.name}-${seed}.pdf`);
      try {
        const { outline, doubts } = analyseAgenda(packet.text.pages, { outline: packet.outline });
        const where = `style ${style.name}, seed ${seed}`;
        const reasons = doubts.filter((d) => d.confidence < AGENDA_SURE);
        if (outline.confidence >= AGENDA_SURE) {
          sure++;
          expect(structure(outline), where).toEqual(structure(generated.truth));
        } else {
          const unexplained = reasons.filter((d) => !style.ambiguities.includes(d.kind)).map((d) => d.reason);
          expect(unexplained, `${where} is unsure for a reason its style does not explain`).toEqual([]);
        }
      } finally {
        await packet.pdf.loadingTask.destroy();
      }
    }
    if (style.expect === 'unsure') expect(sure, style.about).toBe(0);
    else expect(sure, `${style.about}: no packet detected as sure`).toBeGreaterThan(0);
  });

  // A long agenda's contents runs over several pages, and a continued page may begin with an
  // attachment's entry or the rest of an entry (a packet of 100 items was once read as its first
  // 15, and sure of it).
  it.each(STYLES.filter((s) => s.contents !== null).map((s) => [s.name, s] as const))(
    `%s: a packet of ${LONG_AGENDA} items, its contents over more than one page`,
    async (_name, style) => {
      const generated = await generatePacket(style, 1, corpus, { items: LONG_AGENDA });
      const contentsPages = (generated.truth.items[0]?.firstPage ?? 0) - 1 - (style.cover ? 1 : 0);
      expect(contentsPages).toBeGreaterThan(1);
      const packet = await readPacketBytes(generated.bytes, `${style.name}-long.pdf`);
      try {
        const { outline, doubts } = analyseAgenda(packet.text.pages, { outline: packet.outline });
        expect(doubts.filter((d) => d.confidence < AGENDA_SURE)).toEqual([]);
        expect(structure(outline)).toEqual(structure(generated.truth));
      } finally {
        await packet.pdf.loadingTask.destroy();
      }
    },
  );
});
