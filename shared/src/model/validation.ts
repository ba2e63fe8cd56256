/**
 * How values from outside (request bodies, room contents, imports) are checked: valibot schemas,
 * so the checked type comes from the schema, and one way to say what is wrong: one line,
 * `<field> <what it must be>`, the field named by its path as the client wrote it
 * (`target.selectors[0].exact must be non-empty text`), or by a subject ("the request body")
 * when the value as a whole is wrong. Messages in schemas are written to follow that name.
 */
import * as v from 'valibot';
import { fail, ok, type Result } from './result.ts';

type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What describeIssue reads of an issue: valibot's issues and Standard Schema's alike. */
export interface IssueLike {
  readonly message: string;
  readonly path?: ReadonlyArray<unknown> | undefined;
}

/** `items[2].attachments[0].firstPage`: object keys joined with dots, array indexes in brackets. */
function issuePath(path: ReadonlyArray<unknown> | undefined): string {
  let text = '';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' && segment !== null && 'key' in segment ? segment.key : segment;
    text += typeof key === 'number' ? `[${key}]` : text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** The one line a client is told: the field and what it must be, or the subject and what is wrong with it. */
export function describeIssue(issue: IssueLike, subject: string): string {
  return `${issuePath(issue.path) || subject} ${issue.message}`;
}

/** The checked value, or the first problem in the words of describeIssue. */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown, subject: string): Result<v.InferOutput<S>> {
  const result = v.safeParse(schema, value);
  return result.success ? ok(result.output) : fail(describeIssue(result.issues[0], subject));
}

/**
 * A JSON object with these fields (arrays are not objects here, though valibot's `object` takes
 * them). A missing field is refused with the message its own schema gives a wrong value, so
 * `{}` and `{ id: 7 }` are told the same thing. Other keys are dropped, `__proto__` included, so
 * the value has a fixed shape; with `strict` the first one is refused instead, by name.
 */
export function jsonObject<const E extends v.ObjectEntries>(entries: E, notObject: string, options: { strict?: boolean } = {}) {
  const shape = v.object(entries, (issue) => missingField(entries, issue));
  const known = new Set(Object.keys(entries));
  const isObject = v.custom<v.InferInput<typeof shape>>(isJsonObject, notObject);
  const onlyKnownKeys = v.rawCheck<v.InferInput<typeof shape>>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const unknown = Object.keys(dataset.value).find((key) => !known.has(key));
    if (unknown !== undefined) addIssue({ message: `has an unknown field ${JSON.stringify(unknown.slice(0, 40))}` });
  });
  // Checked before the fields (a client that sends an unknown field speaks another version of the protocol).
  return options.strict ? v.pipe(isObject, onlyKnownKeys, shape) : v.pipe(isObject, shape);
}

function missingField(entries: v.ObjectEntries, issue: v.ObjectIssue): string {
  const key = issue.path?.[0]?.key;
  const schema = typeof key === 'string' ? entries[key] : undefined;
  return (schema && v.safeParse(schema, undefined).issues?.[0]?.message) ?? 'is missing';
}

/*
 * Leaf checks as one step each rather than a pipe of four: a room read checks thousands of
 * targets, and each step of a valibot pipe costs about as much as the whole check.
 */

/** A whole number from min to max; every way of missing it gets the one message. */
export const whole = (min: number, max: number, message: string) =>
  v.custom<number>((x) => Number.isInteger(x) && (x as number) >= min && (x as number) <= max, message);

/** Text of at most max characters. */
export const text = (max: number, message: string) => v.custom<string>((x) => typeof x === 'string' && x.length <= max, message);

/** Text of 1 to max characters that is not only blanks. */
export const nonBlankText = (max: number, message: string) =>
  v.custom<string>((x) => typeof x === 'string' && x.length <= max && x.trim() !== '', message);

/** Text that matches a pattern (anchor it). */
export const matching = (pattern: RegExp, message: string) => v.custom<string>((x) => typeof x === 'string' && pattern.test(x), message);

/** A number from 0 to 1 (a fraction of a page, a confidence). */
export const fraction = (message: string) =>
  v.custom<number>((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1, message);
