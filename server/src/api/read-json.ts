import type { Context } from 'hono';

export const INVALID_JSON = Symbol('invalid json');

/** The request's JSON body, or INVALID_JSON (answered with a 400 by the caller). */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return INVALID_JSON;
  }
}
