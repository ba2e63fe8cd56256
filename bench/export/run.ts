/**
 * Benchmark: exporting a 500-page packet with 1,000 notes to every format, with the shared
 * renderers the extension, the server and `randnoter export` use. Prints numbers; asserts nothing.
 * Run: `npm run bench:export [-- --runs 3]`.
 *
 * The packet is a real PDF: the fixture's pages after the contents page, copied until there are
 * 500 (pdf-lib), read back with pdf.js as the CLI reads a packet. The notes are 3-25 word
 * passages at random places (fixed seed): two thirds private notes, one third shared comments,
 * every fourth comment answered and every fifth resolved. Each format is timed end to end:
 * anchoring every note in the text, building the Overblik, rendering and (for the annotated
 * packet) reading the text positions of the highlighted pages.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readExportFonts } from '@randnoter/server/pdf/export-fonts';
import { readPacketBytes } from '@randnoter/server/pdf/read-packet';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import type { AgendaItem, AgendaOutline } from '@randnoter/shared/agenda/outline';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import { type ExportFormat, exportPacket, FORMATS } from '@randnoter/shared/export/export-packet';
import type { ExportAnnotation } from '@randnoter/shared/export/overview-model';
import { PDFDocument } from 'pdf-lib';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const PAGES = 500;
const NOTES = 1000;

const fixture = await PDFDocument.load(await readFile(new URL('../../test/fixtures/packets/rdm-2023-01/packet.pdf', import.meta.url)));
const big = await PDFDocument.create();
const sourcePages = fixture.getPageIndices().slice(1);
while (big.getPageCount() < PAGES) {
  const wanted = sourcePages.slice(0, PAGES - big.getPageCount());
  for (const page of await big.copyPages(fixture, wanted)) big.addPage(page);
}
const pdfBytes = await big.save();
let started = performance.now();
const packet = await readPacketBytes(pdfBytes, 'bench.pdf');
const outline = repeatedOutline(detectAgenda(packet.text.pages, { outline: packet.outline }));
console.log(
  `packet: ${packet.pageCount} pages, ${(pdfBytes.length / 1e6).toFixed(1)} MB, ${(packet.text.text.length / 1e6).toFixed(2)} M characters, ${outline.items.length} agenda items (read in ${(performance.now() - started).toFixed(0)} ms)`,
);

/**
 * The agenda of the copied packet: every copy's items as items of their own (numbered on by ten
 * per copy), as a real 500-page packet has a hundred items rather than ten repeated. Detection
 * sees the first copy's headings; the copies' page ranges follow from it.
 */
function repeatedOutline(first: AgendaOutline): AgendaOutline {
  const perCopy = sourcePages.length;
  const items: AgendaItem[] = [];
  for (let copy = 0; copy * perCopy < PAGES; copy++) {
    const shift = (page: number) => page + copy * perCopy;
    for (const item of first.items) {
      if (item.firstPage > perCopy || shift(item.firstPage) > PAGES) continue;
      const last = Math.min(shift(item.lastPage), PAGES);
      items.push({
        ...item,
        number: item.number + copy * 10,
        label: `Punkt ${item.number + copy * 10}`,
        firstPage: shift(item.firstPage),
        lastPage: last,
        attachments: item.attachments
          .filter((a) => shift(a.firstPage) <= PAGES)
          .map((a) => ({ ...a, firstPage: shift(a.firstPage), lastPage: Math.min(shift(a.lastPage), PAGES) })),
      });
    }
  }
  return { pages: PAGES, items, confidence: first.confidence };
}

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const text = packet.text.text;
const notes: ExportAnnotation[] = [];
const shared: ExportAnnotation[] = [];
const people = ['Anne Jensen', 'Bo Hansen', 'Carl Østergaard', 'Dorte Ærø'];
for (let n = 0; n < NOTES; n++) {
  const start = text.indexOf(' ', Math.floor(random() * (text.length - 400))) + 1;
  let end = start;
  for (let w = 0, words = 3 + Math.floor(random() * 23); w < words; w++) end = text.indexOf(' ', end + 1);
  const target = describeRange(packet.text, start, end, { outline, packetVersion: `urn:x-pdf:${packet.fingerprint}` });
  if (!target) continue;
  const when = new Date(Date.UTC(2023, 0, 10, 8) + n * 60_000).toISOString();
  const author = { id: `u${n % people.length}`, name: people[n % people.length] as string };
  const base = { replyTo: null, color: null, tags: [], deleted: false, created: when, modified: when, author, target };
  if (n % 3 < 2) {
    notes.push({ ...base, id: `n${n}`, kind: 'note', resolved: false, body: `Note ${n}: spørg om beløbet og tidsplanen.` });
    continue;
  }
  const group = { id: 'udvalg', name: 'Socialudvalget' };
  shared.push({
    ...base,
    id: `c${n}`,
    kind: 'comment',
    resolved: n % 5 === 0,
    group,
    body: `Kommentar ${n}: hvad betyder det for borgerne?`,
  });
  if (n % 4 === 0) {
    shared.push({
      ...base,
      id: `r${n}`,
      kind: 'reply',
      replyTo: `c${n}`,
      resolved: false,
      group,
      body: `Svar på ${n}: se bilaget.`,
      target: { page: target.page },
    });
  }
}
console.log(
  `notes: ${notes.length} private notes, ${shared.filter((a) => a.kind === 'comment').length} shared comments, ${shared.filter((a) => a.kind === 'reply').length} replies`,
);

const fonts = await readExportFonts();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const format of Object.keys(FORMATS) as ExportFormat[]) {
  const ms: number[] = [];
  let size = 0;
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    const result = await exportPacket({
      format,
      title: 'Byrådet, 500 sider',
      notes,
      shared,
      outline,
      text: packet.text,
      pdf: packet.bytes,
      boxes: async () => packet.boxes,
      fonts,
      source: `urn:x-pdf:${packet.fingerprint}`,
      packetVersion: `urn:x-pdf:${packet.fingerprint}`,
      collectionId: 'urn:randnoter:export:bench',
    });
    ms.push(performance.now() - started);
    size = result.bytes.length;
  }
  console.log(
    `${format.padEnd(13)} median ${median(ms).toFixed(0).padStart(6)} ms   min ${Math.min(...ms)
      .toFixed(0)
      .padStart(6)} ms   ${(size / 1e6).toFixed(2).padStart(6)} MB`,
  );
}
await packet.pdf.loadingTask.destroy();
