/**
 * The text side of @mentions (docs/NOTIFICATIONS.md), without the DOM: what the user is typing
 * after an `@` at the caret, which members that names, the text once one is chosen, which chosen
 * people are still mentioned when the comment is saved, and a body split into text and mentions
 * for the card. A mention is `@` + the person's name as the audience lists it.
 */
import { AnnotationLimits } from '@randnoter/shared/model/annotation';

export interface Person {
  id: string;
  name: string;
}

/** An `@` being typed: where it is and what follows it up to the caret. */
export interface MentionQuery {
  /** Index of the `@`. */
  at: number;
  query: string;
}

/** Names are a few words; past this the `@` is an e-mail address or prose, not a mention being typed. */
const QUERY_MAX_CHARS = 40;
/** Letters and digits in any script: what may not follow a name for it to end there. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The mention being typed at `caret`, or null: an `@` at the start of the text or after
 * whitespace or an opening bracket, followed by no line break and no other `@` up to the caret.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (query.length > QUERY_MAX_CHARS || /[\n\r]/.test(query) || query.startsWith(' ')) return null;
  const previous = at === 0 ? '' : (before[at - 1] ?? '');
  if (previous !== '' && !/[\s([{"'«]/.test(previous)) return null;
  return { at, query };
}

const fold = (s: string) => s.toLocaleLowerCase('da').normalize('NFKD').replace(/\p{M}/gu, '');

/**
 * Members whose name, or any word of it, begins with the query (case and accents ignored),
 * those whose whole name begins with it first, then by name; nobody is left out for an empty query.
 */
export function filterPeople(people: readonly Person[], query: string, limit = 8): Person[] {
  const q = fold(query.trim());
  const rank = (p: Person): number => {
    const name = fold(p.name);
    if (name.startsWith(q)) return 0;
    return name.split(/\s+/).some((word) => word.startsWith(q)) ? 1 : -1;
  };
  return people
    .map((p) => ({ p, r: rank(p) }))
    .filter(({ r }) => r >= 0)
    .sort((a, b) => a.r - b.r || a.p.name.localeCompare(b.p.name, 'da'))
    .slice(0, limit)
    .map(({ p }) => p);
}

/** The text with the `@query` at the caret replaced by `@Name `, and where the caret goes. */
export function insertMention(text: string, query: MentionQuery, caret: number, person: Person): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `@${person.name}${after.startsWith(' ') ? '' : ' '}`;
  const next = text.slice(0, query.at) + inserted + after;
  return { text: next, caret: query.at + inserted.length + (after.startsWith(' ') ? 1 : 0) };
}

/** Where `@name` stands in `text` as a whole mention (not the start of a longer word), from `from`. */
function indexOfMention(text: string, name: string, from = 0): number {
  const token = `@${name}`;
  for (let i = text.indexOf(token, from); i >= 0; i = text.indexOf(token, i + 1)) {
    const next = text[i + token.length];
    if (next === undefined || !WORD_CHAR.test(next)) return i;
  }
  return -1;
}

/**
 * The ids to send with the comment: the people chosen (or mentioned before an edit) whose
 * `@Name` is still in the text, each once, at most AnnotationLimits.mentionsMax (the server's bound).
 */
export function mentionsIn(text: string, chosen: readonly Person[]): string[] {
  const ids: string[] = [];
  for (const person of chosen) {
    if (ids.length >= AnnotationLimits.mentionsMax) break;
    if (!ids.includes(person.id) && indexOfMention(text, person.name) >= 0) ids.push(person.id);
  }
  return ids;
}

export type BodyPart = { text: string } | { text: string; person: Person };

/**
 * A body cut into plain text and the mentions the comment names (`@Name` for each id whose name
 * is known), in order; longer names first so "@Bo Hansen" is not read as "@Bo".
 */
export function splitMentions(body: string, people: readonly Person[]): BodyPart[] {
  const byLength = [...people].sort((a, b) => b.name.length - a.name.length);
  const parts: BodyPart[] = [];
  let rest = 0;
  for (;;) {
    let best: { index: number; person: Person } | null = null;
    for (const person of byLength) {
      const index = indexOfMention(body, person.name, rest);
      if (index >= 0 && (best === null || index < best.index)) best = { index, person };
    }
    if (!best) break;
    if (best.index > rest) parts.push({ text: body.slice(rest, best.index) });
    const end = best.index + 1 + best.person.name.length;
    parts.push({ text: body.slice(best.index, end), person: best.person });
    rest = end;
  }
  if (rest < body.length) parts.push({ text: body.slice(rest) });
  return parts;
}
