/**
 * The selection property, browser-neutral: seeded random selections made with the DOM Selection
 * API in the real viewer (within a text span, across spans, across lines, across a page break,
 * with boundary points in text, in a span or between a layer's children), each saved as a note
 * through the UI; then every saved target is checked against the selected text. A driver
 * adapts Playwright (Chromium) and Puppeteer (Firefox) to the few actions needed.
 */
import { readPacketFile } from '@randnoter/server/pdf/read-packet';
import { type Annotation, quoteOf } from '@randnoter/shared/model/annotation';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { PacketText } from '@randnoter/shared/text/page-text';
import { seededRandom } from './seeded-random.ts';
import { readStoredDoc, storedRooms } from './stored-doc.ts';
import { waitFor } from './wait-for.ts';

export interface ViewerDriver {
  evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R>;
  /** Clicks "Tilføj note" in the toolbar at the selection. */
  addNote(): Promise<void>;
  /** Presses Alt+N, the shortcut for a note on the selection. */
  addNoteByKey(): Promise<void>;
  /** Writes the note's text in the open editor and saves it. */
  saveNote(text: string): Promise<void>;
}

export interface PacketUnderTest {
  /** File name on the static site. */
  name: string;
  path: string;
  text: PacketText;
  /** Annotations pdf.js renders on each page (index 0 = page 1), to know when a page is complete. */
  annotations: number[];
}

export async function readPacketUnderTest(name: string, path: string): Promise<PacketUnderTest> {
  const read = await readPacketFile(path);
  const annotations: number[] = [];
  for (let n = 1; n <= read.pageCount; n++) annotations.push((await (await read.pdf.getPage(n)).getAnnotations()).length);
  await read.pdf.loadingTask.destroy();
  return { name, path, text: read.text, annotations };
}

type Kind = 'within' | 'near' | 'lines' | 'pageBreak';

interface Spec {
  page: number;
  kind: Kind;
  /** How the user asks for the note: the toolbar's "Tilføj note" or Alt+N. */
  via: 'toolbar' | 'key';
  /** Uniform numbers in [0, 1) the page script turns into nodes, offsets and boundary forms. */
  r: number[];
}

/** A rectangle on a page, in pixels from the page's corner. */
interface PageRect {
  page: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Made {
  text: string;
  /** Page of the first selected character that is not white space. */
  firstPage: number | null;
  /** Where the selected characters are drawn. */
  rects: PageRect[];
  where: string;
}

export interface Case {
  n: number;
  packet: string;
  spec: Spec;
  made: Made;
  /** False when no editor opened: the selection gave no target. */
  saved: boolean;
  /** The quote the editor showed before saving. */
  editorQuote: string | null;
  /** Where the note's highlight was drawn (empty: not drawn). */
  highlights: PageRect[];
}

/**
 * Which pages get how many selections: every page once, then pages with annotations until
 * `total` is reached, round-robin. Pages stay in order so each is scrolled to once.
 */
function plan(packets: readonly PacketUnderTest[], total: number): Array<{ packet: PacketUnderTest; page: number; count: number }> {
  const visits = packets.flatMap((packet) => packet.annotations.map((annotations, i) => ({ packet, page: i + 1, count: 1, annotations })));
  const withAnnotations = visits.filter((v) => v.annotations > 0);
  let left = total - visits.length;
  for (let i = 0; left > 0 && withAnnotations.length > 0; i++, left--)
    (withAnnotations[i % withAnnotations.length] as { count: number }).count++;
  return visits.map(({ packet, page, count }) => ({ packet, page, count }));
}

function specFor(random: () => number, page: number, pages: number): Spec {
  const x = random();
  const kind: Kind = x < 0.25 ? 'within' : x < 0.5 ? 'near' : x < 0.88 || page === pages ? 'lines' : 'pageBreak';
  const via = random() < 0.5 ? 'toolbar' : 'key';
  return { page, kind, via, r: Array.from({ length: 6 }, random) };
}

/** Page script: is page n's text layer rendered, with each of its annotations pointed to from the text (pdf.js's last step)? */
function pageComplete({ n, annotations }: { n: number; annotations: number }): boolean {
  const page = document.querySelector(`.page[data-page-number="${n}"]`);
  const layer = page?.querySelector('.textLayer');
  if (!page || !layer?.querySelector('.endOfContent') || !page.querySelector('.annotationLayer')) return false;
  const ids = [...page.querySelectorAll('.annotationLayer [id^="pdfjs_internal_id_"]')].map((e) => e.id);
  const owned = new Set([...layer.querySelectorAll('[aria-owns]')].flatMap((e) => (e.getAttribute('aria-owns') ?? '').split(' ')));
  return ids.length >= annotations && (layer.querySelector('span') === null || ids.every((id) => owned.has(id)));
}

/** Page script: makes the selection a spec describes; null when it would select no visible character. */
function makeSelection(spec: Spec): Made | null {
  const textNodes = (n: number): Text[] => {
    const layer = document.querySelector(`.page[data-page-number="${n}"] .textLayer`);
    const out: Text[] = [];
    if (!layer) return out;
    const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) if (t.length > 0) out.push(t);
    return out;
  };
  const [r0, r1, r2, r3, r4, r5] = spec.r as [number, number, number, number, number, number];
  const here = textNodes(spec.page);
  const next = spec.kind === 'pageBreak' ? textNodes(spec.page + 1) : [];
  if (here.length === 0) return null;
  let i = Math.floor(r0 * here.length);
  let endNode: Text;
  let startOffset: number;
  let endOffset: number;
  if (spec.kind === 'pageBreak' && next.length > 0) {
    i = Math.max(0, here.length - 1 - Math.floor(r0 * 8));
    endNode = next[Math.floor(r2 * Math.min(8, next.length))] as Text;
    startOffset = Math.floor(r1 * ((here[i] as Text).length + 1));
    endOffset = Math.floor(r3 * (endNode.length + 1));
  } else if (spec.kind === 'within') {
    endNode = here[i] as Text;
    startOffset = Math.floor(r1 * endNode.length);
    endOffset = startOffset + 1 + Math.floor(r2 * (endNode.length - startOffset));
  } else {
    const j = Math.min(here.length - 1, i + (spec.kind === 'near' ? 1 + Math.floor(r2 * 3) : 3 + Math.floor(r2 * 20)));
    endNode = here[j] as Text;
    startOffset = Math.floor(r1 * ((here[i] as Text).length + 1));
    endOffset = Math.floor(r3 * (endNode.length + 1));
  }
  const startNode = here[i] as Text;
  // Most boundaries are in text, as a mouse makes them; some are in the span, or between the
  // children of the layer or of a marked-content span, as a drag that starts beside the text does.
  const boundary = (node: Text, offset: number, atEnd: boolean, r: number): [Node, number] => {
    const span = node.parentElement as HTMLElement;
    if (r < 0.8) return [node, offset];
    if (r < 0.9) return [span, atEnd ? span.childNodes.length : 0];
    const holder = span.parentElement as HTMLElement;
    const index = [...holder.childNodes].indexOf(span);
    return [holder, atEnd ? index + 1 : index];
  };
  const range = document.createRange();
  range.setStart(...boundary(startNode, startOffset, false, r4));
  range.setEnd(...boundary(endNode, endOffset, true, r5));
  if (range.collapsed) return null;
  endNode.parentElement?.scrollIntoView({ block: 'center' });
  const selection = document.getSelection() as Selection;
  selection.removeAllRanges();
  selection.addRange(range);
  // The toolbar appears under the selection's box (which, across a page break, takes in the
  // whole next page): scroll that bottom on screen before the viewer places the toolbar.
  const bottom = range.getBoundingClientRect().bottom;
  if (bottom > innerHeight - 80 || bottom < 80) {
    let scroller = endNode.parentElement?.closest('.page')?.parentElement ?? null;
    while (scroller && !/auto|scroll/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
    if (scroller) scroller.scrollTop += bottom - innerHeight / 2;
  }
  const text = selection.toString();
  if (!/\S/.test(text)) return null;
  let firstPage: number | null = null;
  const rects: PageRect[] = [];
  for (const node of [...here, ...next]) {
    if (!range.intersectsNode(node)) continue;
    const part = document.createRange();
    part.selectNodeContents(node);
    if (part.compareBoundaryPoints(Range.START_TO_START, range) < 0) part.setStart(range.startContainer, range.startOffset);
    if (part.compareBoundaryPoints(Range.END_TO_END, range) > 0) part.setEnd(range.endContainer, range.endOffset);
    const pageElement = node.parentElement?.closest<HTMLElement>('.page');
    if (!pageElement) continue;
    const page = Number(pageElement.dataset.pageNumber);
    if (firstPage === null && /\S/.test(part.toString())) firstPage = page;
    const origin = pageElement.getBoundingClientRect();
    for (const r of part.getClientRects())
      rects.push({
        page,
        left: r.left - origin.left,
        top: r.top - origin.top,
        right: r.right - origin.left,
        bottom: r.bottom - origin.top,
      });
  }
  const where = `page ${spec.page} ${spec.kind}: node ${i} offset ${startOffset} to page ${endNode.parentElement?.closest<HTMLElement>('.page')?.dataset.pageNumber} offset ${endOffset}; start in ${range.startContainer.nodeName}, end in ${range.endContainer.nodeName}`;
  return { text, firstPage, rects, where };
}

/** Page script: where the highlights of the note with this text are drawn; null until they are. */
function highlightRects(body: string): PageRect[] | null {
  const card = [...document.querySelectorAll<HTMLElement>('[data-annotation-id]')].find(
    (el) => el.querySelector('.rn-body')?.textContent === body,
  );
  const id = card?.dataset.annotationId;
  if (!id) return null;
  const rects: PageRect[] = [];
  for (const mark of document.querySelectorAll<HTMLElement>(`.rn-highlight[data-annotation-id="${id}"]`)) {
    const pageElement = mark.closest<HTMLElement>('.page');
    if (!pageElement) continue;
    const origin = pageElement.getBoundingClientRect();
    const r = mark.getBoundingClientRect();
    rects.push({
      page: Number(pageElement.dataset.pageNumber),
      left: r.left - origin.left,
      top: r.top - origin.top,
      right: r.right - origin.left,
      bottom: r.bottom - origin.top,
    });
  }
  return rects.length > 0 ? rects : null;
}

/** Page script: is the toolbar at the selection ("Tilføj note", "Del kommentar") showing? */
function toolbarShown(): boolean {
  const toolbar = document.querySelector<HTMLElement>('[role="toolbar"]');
  return toolbar !== null && !toolbar.hidden;
}

/** Scrolls a page into view and waits until it is complete. */
export async function showPage(driver: ViewerDriver, packet: PacketUnderTest, n: number): Promise<void> {
  await driver.evaluate((page) => document.querySelector(`.page[data-page-number="${page}"]`)?.scrollIntoView(), n);
  await waitFor(() => driver.evaluate(pageComplete, { n, annotations: packet.annotations[n - 1] ?? 0 }), {
    timeoutMs: 30_000,
    what: `page ${n} of ${packet.name} rendered with its annotations`,
  });
}

/** Makes `count` selections on a page (and its next page, for page breaks), saving each as note "case N". */
async function annotatePage(
  driver: ViewerDriver,
  packet: PacketUnderTest,
  page: number,
  count: number,
  random: () => number,
  firstCase: number,
): Promise<Case[]> {
  const pages = packet.annotations.length;
  if (page < pages) await showPage(driver, packet, page + 1);
  await showPage(driver, packet, page);
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    let spec = specFor(random, page, pages);
    let made = await driver.evaluate(makeSelection, spec);
    for (let tries = 0; !made && tries < 10; tries++) {
      spec = specFor(random, page, pages);
      made = await driver.evaluate(makeSelection, spec);
    }
    if (!made) throw new Error(`no selectable text on page ${page} of ${packet.name}`);
    const n = firstCase + k;
    if (spec.via === 'key') await driver.addNoteByKey();
    else {
      // The toolbar shows a moment after the selection; polling for it is quicker than a click's own retries.
      await waitFor(() => driver.evaluate(toolbarShown, null), { what: 'the toolbar at the selection' });
      await driver.addNote().catch((error) => {
        throw new Error(`case ${n} (${packet.name}, ${made?.where}): "Tilføj note" not clicked: ${error}`);
      });
    }
    // No editor means the selection gave no target: the case fails as "no text target saved".
    const opened = await waitFor(() => driver.evaluate(() => document.querySelector('.rn-editor') !== null, null), {
      timeoutMs: 5_000,
      what: 'editor',
    }).catch(() => false);
    if (!opened) {
      cases.push({ n, packet: packet.name, spec, made, saved: false, editorQuote: null, highlights: [] });
      continue;
    }
    const editorQuote = await driver.evaluate(() => document.querySelector('.rn-editor .rn-quote')?.textContent ?? null, null);
    await driver.saveNote(`case ${n}`);
    await waitFor(() => driver.evaluate(() => document.querySelector('.rn-editor') === null, null), { what: `editor of case ${n} closed` });
    const highlights = await waitFor(() => driver.evaluate(highlightRects, `case ${n}`), { what: `highlight of case ${n}` }).catch(
      () => [],
    );
    cases.push({ n, packet: packet.name, spec, made, saved: true, editorQuote, highlights });
  }
  return cases;
}

/** Text as page-text compares it: compatibility forms unfolded, invisible characters and all white space gone. */
function letters(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u00AD\u200B-\u200D\u2060\uFEFF]+/g, '');
}

/** The user's notes as the server stored them, by their text. */
export async function storedNotes(database: string, userId: string): Promise<Map<string, Annotation>> {
  const byBody = new Map<string, Annotation>();
  for (const room of await storedRooms(database)) {
    if (!room.startsWith(`notes/${userId}/`)) continue;
    for (const note of liveAnnotations(await readStoredDoc(database, room))) byBody.set(note.body, note);
  }
  return byBody;
}

/** Waits until the server holds at least `expected` of the user's notes. */
function savedNotes(database: string, userId: string, expected: number): Promise<Map<string, Annotation>> {
  return waitFor(
    async () => {
      const notes = await storedNotes(database, userId);
      return notes.size >= expected ? notes : null;
    },
    { timeoutMs: 30_000, what: `${expected} notes stored on the server` },
  );
}

/** One line per case whose saved note does not hold the selected words. */
function mismatches(cases: readonly Case[], notes: ReadonlyMap<string, Annotation>, packets: readonly PacketUnderTest[]): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const note = notes.get(`case ${c.n}`);
    const packet = packets.find((p) => p.name === c.packet) as PacketUnderTest;
    const quote = note ? quoteOf(note.target) : undefined;
    const position = note?.target.selectors?.find((s) => s.type === 'TextPositionSelector');
    const problems: string[] = [];
    if (!note || !quote || !position) problems.push('no text target saved');
    else {
      if (letters(quote.exact) !== letters(c.made.text)) problems.push('quote is not the selected text');
      if (c.editorQuote !== quote.exact) problems.push(`editor showed ${JSON.stringify(c.editorQuote)}`);
      if (packet.text.text.slice(position.start, position.end) !== quote.exact)
        problems.push(
          `position ${position.start}-${position.end} holds ${JSON.stringify(packet.text.text.slice(position.start, position.end))}`,
        );
      if (note.target.page !== c.made.firstPage) problems.push(`page ${note.target.page}, selection starts on page ${c.made.firstPage}`);
      const astray = c.highlights.filter((h) => !c.made.rects.some((r) => covers(r, h)));
      if (c.highlights.length === 0) problems.push('no highlight drawn');
      else if (astray.length > 0) problems.push(`${astray.length} of ${c.highlights.length} highlight boxes outside the selection`);
    }
    if (problems.length > 0)
      out.push(
        `case ${c.n} (${c.packet}, ${c.made.where}): ${problems.join('; ')}\n  selected ${JSON.stringify(c.made.text)}\n  saved    ${JSON.stringify(quote?.exact ?? null)}`,
      );
  }
  return out;
}

/** Whether a highlight box lies on selected characters: its centre inside their box, give or take rounding. */
function covers(selected: PageRect, box: PageRect): boolean {
  const x = (box.left + box.right) / 2;
  const y = (box.top + box.bottom) / 2;
  return (
    selected.page === box.page && x >= selected.left - 2 && x <= selected.right + 2 && y >= selected.top - 2 && y <= selected.bottom + 2
  );
}

const savedCount = (cases: readonly Case[]) => cases.filter((c) => c.saved).length;

/** The whole property for one browser: every packet opened in turn, `total` selections, the failures. */
export async function runSelectionProperty(options: {
  seed: number;
  total: number;
  packets: readonly PacketUnderTest[];
  open(packet: PacketUnderTest): Promise<{ driver: ViewerDriver; close(): Promise<void> }>;
  database: string;
  userId: string;
}): Promise<{ cases: Case[]; failures: string[] }> {
  const random = seededRandom(options.seed);
  const cases: Case[] = [];
  const visits = plan(options.packets, options.total);
  for (const packet of options.packets) {
    const viewer = await options.open(packet);
    try {
      for (const visit of visits.filter((v) => v.packet === packet))
        cases.push(...(await annotatePage(viewer.driver, packet, visit.page, visit.count, random, cases.length + 1)));
      // The notes reach the server before the tab closes.
      await savedNotes(options.database, options.userId, savedCount(cases));
    } finally {
      await viewer.close();
    }
  }
  const notes = await savedNotes(options.database, options.userId, savedCount(cases));
  return { cases, failures: mismatches(cases, notes, options.packets) };
}
