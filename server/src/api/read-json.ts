/**
 * Request bodies as JSON. Bodies nested deeper than any request of the protocol needs are refused
 * before they are parsed: code that walks a client's value recursively (JSON.stringify, a
 * validator) would otherwise overflow the stack on a few hundred kilobytes of brackets and answer
 * 500 instead of 400.
 */
import { fail, ok, type Result } from '@randnoter/shared/model/result';
import type { Context } from 'hono';

/** The deepest request body needs 6 levels (an attachment in a registration's outline); see docs/PROTOCOL.md. */
export const MAX_JSON_DEPTH = 32;

/** Whether arrays and objects in `text` nest deeper than `max`; strings are skipped. Linear, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/** The request's JSON body, or the one-line reason it is refused (answered with a 400 by the caller). */
export async function readJson(c: Context): Promise<Result<unknown>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return fail('the request body could not be read');
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return fail(`the request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return ok(JSON.parse(text));
  } catch {
    return fail('the request body is not valid JSON');
  }
}
