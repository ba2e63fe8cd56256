/**
 * Agenda detection on a municipality's HTML agenda page. The content script reduces the page to
 * its headings and links in document order (`AgendaBlock`, no DOM here); this finds the items
 * and each item's attachment links with the same heading grammar as the PDF detector.
 *
 * - Items are the headings, at one level, that read as item headings ("Punkt 3: …", "Sag 3 · …",
 *   and a keyword the page repeats at one heading level with rising numbers, "Ärende 1", "Ärende
 *   2"). The level is the one with the most keyword headings; without any, the one with the most
 *   numbered headings ("3. …"), if it has at least two. Numbers must rise; a repeated number is
 *   skipped. Each item keeps its label as the page writes it.
 * - An item's section runs to the next heading at its level or above.
 * - An attachment is a link in the section that reads as an attachment header ("Punkt 3, Bilag 2:
 *   …", "Bilag 2: …", "Bilag 3.2 – …", "Bilag 2 (pkt. 3): …"), stands under a subheading such as
 *   "Bilag" or "Attachments", or points to a document file (.pdf, .docx, …). Links to places on
 *   the page and links before the first item (the page's own navigation) are not attachments.
 */
import { DEFAULT_VOCABULARY, type Heading, makeVocabulary, parseHeading, readLabel, type Vocabulary } from './agenda-grammar.ts';

export type AgendaBlock = { kind: 'heading'; level: number; text: string } | { kind: 'link'; text: string; href: string };

interface HtmlAgendaAttachment {
  number: number;
  /** The link's own label ("Bilag 3.2"); null for a link that names no number. */
  label: string | null;
  title: string;
  href: string;
  /** Index of the link in the blocks. */
  block: number;
}

export interface HtmlAgendaItem {
  number: number;
  /** The heading's own label: "Sag 3", "Punkt 3", "3.". */
  label: string;
  title: string;
  /** Index of the heading in the blocks, so the content script can find its element again. */
  block: number;
  attachments: HtmlAgendaAttachment[];
}

const ATTACHMENTS_HEADING = /^(bilag|attachments?|appendi(x|ces)|annex(es)?|enclosures?|documents?|dokumenter)\b/i;
const DOCUMENT_LINK = /\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf)(?:$|[?#])/i;

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

type ItemHeading = Extract<Heading, { kind: 'item' }>;

function itemHeadingOf(block: AgendaBlock, vocabulary: Vocabulary): ItemHeading | null {
  if (block.kind !== 'heading') return null;
  const heading = parseHeading(clean(block.text), vocabulary);
  return heading?.kind === 'item' ? heading : null;
}

/**
 * The usual words, and a keyword the page's headings use at one level with rising numbers (at
 * least twice): an HTML heading level is structure, so a repeated "Ärende 1", "Ärende 2" is one.
 */
function vocabularyOf(blocks: readonly AgendaBlock[]): Vocabulary {
  const runs = new Map<string, number[]>();
  for (const block of blocks) {
    if (block.kind !== 'heading') continue;
    const labelled = readLabel(clean(block.text));
    if (!labelled || labelled.bare || labelled.second || labelled.first.minor !== null || labelled.first.letter) continue;
    if (DEFAULT_VOCABULARY.roleOf(labelled.first.key) !== null) continue;
    const key = `${block.level}:${labelled.first.key}`;
    runs.set(key, [...(runs.get(key) ?? []), labelled.first.number]);
  }
  const learned = [...runs.entries()]
    .filter(([, numbers]) => numbers.length >= 2 && numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number)))
    .map(([key]) => key.slice(key.indexOf(':') + 1));
  return learned.length === 0
    ? DEFAULT_VOCABULARY
    : makeVocabulary([...DEFAULT_VOCABULARY.item, ...learned], DEFAULT_VOCABULARY.attachment);
}

/** The heading level items stand at, and whether bare numbered headings count there. */
function itemLevel(blocks: readonly AgendaBlock[], vocabulary: Vocabulary): { level: number; numbered: boolean } | null {
  const counts = new Map<string, number>();
  for (const block of blocks) {
    const heading = itemHeadingOf(block, vocabulary);
    if (!heading || block.kind !== 'heading') continue;
    const key = `${heading.strength}:${block.level}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = (strength: string, min: number) =>
    [...counts.entries()].filter(([k, n]) => k.startsWith(`${strength}:`) && n >= min).sort((a, b) => b[1] - a[1])[0];
  const keyword = best('keyword', 1);
  if (keyword) return { level: Number(keyword[0].split(':')[1]), numbered: false };
  const numbered = best('numbered', 2);
  return numbered ? { level: Number(numbered[0].split(':')[1]), numbered: true } : null;
}

function attachmentsOf(
  blocks: readonly AgendaBlock[],
  range: { from: number; to: number },
  item: number,
  level: number,
  vocabulary: Vocabulary,
): HtmlAgendaAttachment[] {
  const { from, to } = range;
  const attachments: HtmlAgendaAttachment[] = [];
  let underAttachmentsHeading = false;
  for (let i = from; i < to; i++) {
    const block = blocks[i] as AgendaBlock;
    if (block.kind === 'heading') {
      if (block.level > level) underAttachmentsHeading = ATTACHMENTS_HEADING.test(clean(block.text));
      continue;
    }
    if (block.href.startsWith('#')) continue;
    const text = clean(block.text);
    const heading = parseHeading(text, vocabulary);
    const named = heading?.kind === 'attachment' && (heading.item === null || heading.item === item) ? heading : null;
    if (!named && !underAttachmentsHeading && !DOCUMENT_LINK.test(block.href)) continue;
    // An unnumbered link follows the highest number so far.
    const number = named ? named.number : Math.max(0, ...attachments.map((a) => a.number)) + 1;
    if (attachments.some((a) => a.number === number)) continue;
    attachments.push({ number, label: named?.label ?? null, title: named?.title || text, href: block.href, block: i });
  }
  return attachments;
}

export function detectHtmlAgenda(blocks: readonly AgendaBlock[]): HtmlAgendaItem[] {
  const vocabulary = vocabularyOf(blocks);
  const found = itemLevel(blocks, vocabulary);
  if (!found) return [];
  const starts: Array<{ block: number; heading: ItemHeading }> = [];
  for (const [i, block] of blocks.entries()) {
    const heading = itemHeadingOf(block, vocabulary);
    if (!heading || block.kind !== 'heading' || block.level !== found.level) continue;
    if (heading.strength === 'numbered' && !found.numbered) continue;
    const previous = starts.at(-1);
    if (previous && heading.number <= previous.heading.number) continue;
    starts.push({ block: i, heading });
  }
  return starts.map(({ block, heading }, n) => {
    // The section ends at the next heading at the item level or above (a page footer's heading, say).
    let end = starts[n + 1]?.block ?? blocks.length;
    for (let i = block + 1; i < end; i++) {
      const b = blocks[i] as AgendaBlock;
      if (b.kind === 'heading' && b.level <= found.level) {
        end = i;
        break;
      }
    }
    return {
      number: heading.number,
      label: heading.label,
      title: heading.title,
      block,
      attachments: attachmentsOf(blocks, { from: block + 1, to: end }, heading.number, found.level, vocabulary),
    };
  });
}

/**
 * The documents a page links to, as written: its items' attachments and every other link to a
 * document file (the whole packet, "Hent hele mødepakken (PDF)", usually stands before the first
 * item). A PDF opened from one of these links may take the page's structure (place-html-agenda.ts).
 */
export function documentLinks(blocks: readonly AgendaBlock[], items: readonly HtmlAgendaItem[]): string[] {
  const links = new Set<string>();
  for (const item of items) for (const a of item.attachments) links.add(a.href);
  for (const block of blocks) if (block.kind === 'link' && DOCUMENT_LINK.test(block.href)) links.add(block.href);
  return [...links];
}
