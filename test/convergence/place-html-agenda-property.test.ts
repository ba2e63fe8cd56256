/**
 * Property (issue 26, point 5): an HTML agenda page's structure placed on the packet PDF it links
 * is either exactly the packet's truth or not placed at all: never a wrong place. For every style
 * of the packet generator and a few seeds, an agenda page is made from the truth the way a meeting
 * system writes one ("Punkt N: title", attachment links), once with links into the PDF
 * (`packet.pdf#page=N`) and once with every attachment a file of its own, and placed on the PDF as
 * pdf.js reads it. The bare-numbers packets, which the PDF's own detection can only guess, must be
 * placed, so the property is not bought by placing nothing. `RANDNOTER_AGENDA_SEEDS=10` for more.
 */
import { readPacketBytes } from '@randnoter/server/pdf/read-packet';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { type LinkedItem, placeHtmlAgenda } from '@randnoter/shared/agenda/place-html-agenda';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { STYLES } from '../fixtures/packet-gen/styles.ts';
import { PACKET_V1 } from '../support/packet-fixture.ts';

const SEEDS = Number(process.env.RANDNOTER_AGENDA_SEEDS ?? 3);
const PDF = 'https://dagsorden.example.dk/moede/packet.pdf';

/** The agenda page's items as a meeting system's page gives them, from the truth. */
function agendaPage(truth: AgendaOutline, linkedIntoPdf: boolean): LinkedItem[] {
  return truth.items.map((item) => ({
    number: item.number,
    label: `Punkt ${item.number}`,
    title: item.title,
    attachments: item.attachments.map((a) => ({
      number: a.number,
      label: `Bilag ${a.number}`,
      title: a.title,
      href: linkedIntoPdf ? `${PDF}#page=${a.firstPage}` : `https://dagsorden.example.dk/bilag/${item.number}-${a.number}.pdf`,
    })),
  }));
}

/** What a placement says about the pages: numbers, titles and ranges (labels are the page's own). */
const places = (outline: AgendaOutline) =>
  outline.items.map((i) => [
    i.number,
    i.title,
    i.firstPage,
    i.lastPage,
    i.attachments.map((a) => [a.number, a.title, a.firstPage, a.lastPage]),
  ]);

describe('an HTML agenda page placed on the packet it links', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(PACKET_V1);
  });

  it.each(STYLES.map((s) => [s.name, s] as const))(
    `%s: exact or not placed (${SEEDS} seeds, linked and unlinked)`,
    async (_name, style) => {
      let placed = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const generated = await generatePacket(style, seed, corpus);
        const packet = await readPacketBytes(generated.bytes, `${style.name}-${seed}.pdf`);
        try {
          for (const linked of [true, false]) {
            const outline = placeHtmlAgenda(agendaPage(generated.truth, linked), {
              url: normaliseUrl(PDF) as string,
              pages: packet.text.pages,
              normalise: normaliseUrl,
            });
            if (!outline) continue;
            placed++;
            expect(places(outline), `style ${style.name}, seed ${seed}, ${linked ? 'linked' : 'unlinked'}`).toEqual(
              places(generated.truth),
            );
          }
        } finally {
          await packet.pdf.loadingTask.destroy();
        }
      }
      if (style.name === 'bare-numbers') expect(placed, 'the packets only the agenda page can tell').toBe(2 * SEEDS);
    },
  );
});
