/**
 * Request bodies and queries checked by the schemas of the contract (shared/protocol/http-api.ts)
 * through Hono's Standard Schema validator, so a route gets the checked, typed value from
 * `c.req.valid(…)` and every refusal is the same 400 `{ error }`: one line naming the field
 * (shared/model/validation.ts). A body is read as JSON first (read-json.ts: refused before it is
 * parsed when nested deeper than the protocol needs), and must say it is JSON: the validator
 * would otherwise check an empty object in its place.
 */
import { sValidator } from '@hono/standard-validator';
import { describeIssue } from '@randnoter/shared/model/validation';
import { BODY_SUBJECT } from '@randnoter/shared/protocol/http-api';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Next } from 'hono';
import { readJson } from './read-json.ts';

/** The media types hono/validator takes for JSON: application/json and application/…+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

const NOT_JSON = 'the request body must be JSON, sent with content-type: application/json';

/** The route's body, checked by `schema`; 400 `{ error }` for a body that is not JSON or not what the schema says. */
export function jsonBody<S extends StandardSchemaV1>(schema: S) {
  const validate = sValidator('json', schema, (result, c) =>
    result.success ? undefined : c.json({ error: describeIssue(result.error[0] ?? { message: 'is not valid' }, BODY_SUBJECT) }, 400),
  );
  const readThenValidate = async (c: Parameters<typeof validate>[0], next: Next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) return c.json({ error: NOT_JSON }, 400);
    const body = await readJson(c);
    if (!body.ok) return c.json({ error: body.error }, 400);
    // The validator reads the body through c.req.json(): it gets this parse instead of a second one.
    c.req.bodyCache.json = Promise.resolve(body.value);
    return validate(c, next);
  };
  // Typed as the validator, so that the route sees `c.req.valid('json')` as the schema's output.
  return readThenValidate as unknown as typeof validate;
}

/** The route's query parameters, checked by `schema` (a parameter given twice arrives as an array). */
export function queryOf<S extends StandardSchemaV1>(schema: S) {
  return sValidator('query', schema, (result, c) =>
    result.success ? undefined : c.json({ error: describeIssue(result.error[0] ?? { message: 'is not valid' }, 'the query') }, 400),
  );
}
