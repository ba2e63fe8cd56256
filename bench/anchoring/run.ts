/**
 * Benchmark: agenda detection and anchoring on a 500-page packet built from the fixture's pages,
 * and agenda detection on 500-page packets from the packet generator (a contents page of several
 * pages, footers, and with or without an outline). Prints numbers; asserts nothing (tests assert
 * behaviour). Run: `npm run bench:anchoring`.
 *
 * The packet repeats packet.pdf's pages (without the contents page), each copy with its agenda
 * numbers shifted and its words marked (see `distinct`), so it has over a hundred agenda items. 1,000 notes are taken on it, then anchored on a
 * republished version with two pages inserted at the front (every note moved) and a word changed
 * in a third of the quoted passages (those come back fuzzy): a third stay where they were
 * (position), a third moved (exact quote), a third edited (fuzzy).
 */
import { performance } from 'node:perf_hooks';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { AGENDA_SURE } from '@randnoter/shared/agenda/outline';
import { type Anchor, createAnchorer } from '@randnoter/shared/anchoring/anchor';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import type { Target } from '@randnoter/shared/model/annotation';
import { buildPacketText, buildPageText, lineText, type PageText } from '@randnoter/shared/text/page-text';
import { readPacketBytes, readPacketFile } from '../../server/src/pdf/read-packet.ts';
import { composePacket } from '../../test/fixtures/packet-gen/compose-packet.ts';
import { loadCorpus } from '../../test/fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../../test/fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../../test/fixtures/packet-gen/styles.ts';

const PAGES = 500;
const NOTES = 1000;
const RUNS = 5;

/** Rebuilds a page from its lines, letting `edit` change a line's text. */
function rebuild(page: PageText, number: number, edit: (line: string) => string = (l) => l): PageText {
  return buildPageText(
    number,
    page.lines.map((line) => ({ str: edit(lineText(page, line)), hasEOL: true, height: line.size })),
  );
}

function time<T>(run: () => T): { result: T; ms: number[] } {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = run();
    ms.push(performance.now() - start);
  }
  return { result: result as T, ms };
}

const report = (what: string, ms: number[]) =>
  console.log(
    `${what.padEnd(52)} median ${median(ms).toFixed(1).padStart(7)} ms   min ${Math.min(...ms)
      .toFixed(1)
      .padStart(7)} ms`,
  );
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// A fixed-seed generator, so every run takes the same notes.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const fixture = await readPacketFile(new URL('../../test/fixtures/packets/rdm-2023-01/packet.pdf', import.meta.url).pathname);
const source = fixture.text.pages.slice(1);
await fixture.pdf.loadingTask.destroy();

/**
 * The copy's own version of a line: agenda numbers shifted by ten per copy, and in running text
 * every fourth word marked with the copy, so that a passage is not repeated verbatim ten times
 * (real packets repeat boilerplate, not whole attachments).
 */
function distinct(line: string, copy: number): string {
  const renumbered = line.replace(/\bPunkt (\d+)/g, (_m, n: string) => `Punkt ${Number(n) + copy * 10}`);
  if (copy === 0 || /^Punkt \d/.test(renumbered)) return renumbered;
  return renumbered
    .split(' ')
    .map((w, i) => (i % 4 === 2 && w.length > 3 ? `${w}-${copy}` : w))
    .join(' ');
}

const pages: PageText[] = [];
for (let copy = 0; pages.length < PAGES; copy++) {
  for (const page of source) {
    if (pages.length === PAGES) break;
    pages.push(rebuild(page, pages.length + 1, (line) => distinct(line, copy)));
  }
}
const packet = buildPacketText(pages);
console.log(`packet: ${pages.length} pages, ${(packet.text.length / 1e6).toFixed(2)} M characters`);

const agenda = time(() => detectAgenda(pages));
report(`detectAgenda (${agenda.result.items.length} items, confidence ${agenda.result.confidence})`, agenda.ms);

// Notes of 3-25 words, starting on a word.
const outline = agenda.result;
const targets: Target[] = [];
const edits = new Map<number, Set<string>>(); // page → words to change there
for (let n = 0; n < NOTES; n++) {
  const start = packet.text.indexOf(' ', Math.floor(random() * (packet.text.length - 400))) + 1;
  let end = start;
  for (let w = 0, words = 3 + Math.floor(random() * 23); w < words; w++) end = packet.text.indexOf(' ', end + 1);
  const target = describeRange(packet, start, end, { outline }) as Target;
  targets.push(target);
  if (n % 3 === 2) {
    // Edit a word in the middle of the quote (its page's lines are rebuilt below).
    const words = packet.text.slice(start, end).split(' ');
    const word = words[Math.floor(words.length / 2)] as string;
    if (word.length > 3) edits.set(target.page, (edits.get(target.page) ?? new Set()).add(word));
  }
}
const inserted = [0, 1].map((i) => buildPageText(i + 1, [{ str: `Ny side ${i + 1}: revideret udgave af mødepakken.` }]));
const republished = buildPacketText([
  ...inserted,
  ...pages.map((page) => {
    const words = edits.get(page.page);
    return rebuild(page, page.page + inserted.length, (line) =>
      // Headings stay as they were: the edit is to the text, not to the agenda.
      words && !/^Punkt \d/.test(line)
        ? line
            .split(' ')
            .map((w) => (words.has(w) ? `${w}x` : w))
            .join(' ')
        : line,
    );
  }),
]);

const tally = (anchors: Anchor[]) =>
  (['anchored', 'fuzzy', 'orphaned'] as const).map((s) => `${anchors.filter((a) => a.status === s).length} ${s}`).join(', ');

const same = time(() => {
  const anchor = createAnchorer(packet, { outline });
  return targets.map(anchor);
});
report(`anchor ${NOTES} notes, same version`, same.ms);
console.log(`  ${tally(same.result)}, ${same.result.filter((a, i) => a.page !== (targets[i] as Target).page).length} misplaced`);

const republishedOutline = detectAgenda(republished.pages);
const moved = time(() => {
  const anchor = createAnchorer(republished, { outline: republishedOutline });
  // Every third note keeps its offsets (as if nothing before it changed), the rest carry v1 offsets.
  return targets.map((t, i) => anchor(i % 3 === 0 ? shiftPosition(t, republished.pageStarts[2] as number) : t));
});
report(`anchor ${NOTES} notes on a republished version`, moved.ms);
console.log(`  ${tally(moved.result)} (a third of the quotes had a word changed)`);
const misplaced = moved.result.filter((a, i) => a.page !== null && a.page !== (targets[i] as Target).page + inserted.length).length;
console.log(
  `  ${misplaced} on another page than the one the words moved to (edited passages that the fixture repeats verbatim, with the same context, a few pages away)`,
);

function shiftPosition(target: Target, by: number): Target {
  return {
    ...target,
    selectors: target.selectors?.map((s) => (s.type === 'TextPositionSelector' ? { ...s, start: s.start + by, end: s.end + by } : s)),
  };
}

// Generated packets of at least 500 pages in two conventions, read back with pdf.js.
const corpus = await loadCorpus(new URL('../../test/fixtures/packets/rdm-2023-01/packet.pdf', import.meta.url).pathname);
for (const name of ['issue-26', 'aarhus']) {
  const style = styleNamed(name);
  let items = 80;
  while (composePacket(style, 1, corpus, { items }).pages.length < PAGES) items += 5;
  const generated = await generatePacket(style, 1, corpus, { items });
  const read = await readPacketBytes(generated.bytes, `${name}.pdf`);
  const detected = time(() => detectAgenda(read.text.pages, { outline: read.outline }));
  const { confidence: _c, ...found } = detected.result;
  const { confidence: _t, ...truth } = generated.truth;
  const exact = JSON.stringify(found) === JSON.stringify(truth);
  const sure = detected.result.confidence >= AGENDA_SURE ? 'sure' : 'unsure';
  report(`detectAgenda, generated ${name} (${read.pageCount} pages${read.outline.length ? ', outline' : ''})`, detected.ms);
  console.log(`  ${detected.result.items.length} items, ${sure}, ${exact ? 'exactly the truth' : 'NOT the truth'}`);
  await read.pdf.loadingTask.destroy();
}
