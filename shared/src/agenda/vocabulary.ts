/**
 * The packet's own words for agenda items and attachments, learned from its contents page and
 * its outline: the two places where a packet lists its structure on purpose. The usual words
 * (agenda-grammar.ts) are known from the start; a word the packet uses that is not among them is
 * learned from how the listing uses it:
 *
 * - in "X 3, Y 2: …" X names items and Y attachments; "Y 3.2: …" and "Y 2 (x 3): …" name attachments;
 * - the word of the listing's first entry names items when its numbers rise entry by entry;
 *   another word appearing after it names attachments;
 * - in the outline, a word used by two or more top-level bookmarks with rising numbers names
 *   items, a word of the bookmarks under them attachments.
 *
 * Words are never learned from page heads alone: a report's chapters ("Kapitel 1", "Kapitel 2")
 * look just like a sequence of items there.
 */
import { DEFAULT_VOCABULARY, type LabelledLine, makeVocabulary, readLabel, type Vocabulary } from './agenda-grammar.ts';
import type { PdfOutlineEntry } from './agenda-references.ts';

export function learnVocabulary(contents: readonly LabelledLine[], outline: readonly PdfOutlineEntry[]): Vocabulary {
  const items = new Set(DEFAULT_VOCABULARY.item);
  const attachments = new Set(DEFAULT_VOCABULARY.attachment);
  const known = (key: string) => items.has(key) || attachments.has(key);
  const learnItem = (key: string) => {
    if (key !== '' && !known(key)) items.add(key);
  };
  const learnAttachment = (key: string) => {
    if (key !== '' && !known(key)) attachments.add(key);
  };

  for (const entry of contents) {
    if (entry.bare) continue;
    if (entry.second) {
      learnItem(entry.first.key);
      learnAttachment(entry.second.key);
    } else if (entry.first.minor !== null) {
      learnAttachment(entry.first.key);
    } else if (entry.qualifier) {
      learnItem(entry.qualifier.key);
      learnAttachment(entry.first.key);
    }
  }
  learnFromSequence(contents, items, attachments);
  learnFromOutline(outline, items, attachments);
  return makeVocabulary(items, attachments);
}

/** The listing's first word names items if its numbers rise; words after it name attachments. */
function learnFromSequence(entries: readonly LabelledLine[], items: Set<string>, attachments: Set<string>): void {
  const plain = entries.filter((e) => !e.bare && !e.second && e.first.minor === null && !e.qualifier);
  const hasItems = entries.some((e) => e.bare || items.has(e.first.key));
  const first = plain[0];
  if (!first) return;
  if (!hasItems && !attachments.has(first.first.key)) {
    const numbers = plain.filter((e) => e.first.key === first.first.key).map((e) => e.first.number);
    if (numbers.length >= 2 && numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number))) items.add(first.first.key);
  }
  const itemSeen = (i: number) => entries.slice(0, i).some((e) => e.bare || items.has(e.first.key));
  for (const [i, entry] of entries.entries()) {
    const key = entry.first.key;
    if (entry.bare || entry.second || items.has(key) || attachments.has(key)) continue;
    if (itemSeen(i)) attachments.add(key);
  }
}

function learnFromOutline(outline: readonly PdfOutlineEntry[], items: Set<string>, attachments: Set<string>): void {
  const top = outline.map((e) => readLabel(e.title)).filter((l): l is LabelledLine => l !== null && !l.bare);
  const byKey = new Map<string, number[]>();
  for (const l of top) if (!l.second && l.first.minor === null) byKey.set(l.first.key, [...(byKey.get(l.first.key) ?? []), l.first.number]);
  for (const [key, numbers] of byKey) {
    const rising = numbers.length >= 2 && numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number));
    if (rising && !attachments.has(key)) items.add(key);
  }
  for (const l of top) {
    if (l.second && !attachments.has(l.first.key)) {
      items.add(l.first.key);
      if (!items.has(l.second.key)) attachments.add(l.second.key);
    }
  }
  for (const entry of outline) {
    const parent = readLabel(entry.title);
    if (!parent || !items.has(parent.first.key)) continue;
    for (const child of entry.children) {
      const l = readLabel(child.title);
      if (l && !l.bare && !items.has(l.first.key)) attachments.add(l.first.key);
    }
  }
}
