/** PATCH …/annotations/:id bodies: what may change in a shared comment, checked field by field. */
import { parseBody, parseColor } from '@randnoter/shared/model/annotation';
import type { SharedPatch } from './apply-intent.ts';

export function parsePatch(v: unknown): SharedPatch | { error: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'expected a JSON object' };
  const r = v as Record<string, unknown>;
  const patch: SharedPatch = {};
  if (r.body !== undefined) {
    const body = parseBody(r.body);
    if (!body.ok) return { error: body.error };
    patch.body = body.value;
  }
  if (r.resolved !== undefined) {
    if (typeof r.resolved !== 'boolean') return { error: 'resolved must be true or false' };
    patch.resolved = r.resolved;
  }
  if (r.color !== undefined) {
    const color = parseColor(r.color);
    if (!color.ok) return { error: color.error };
    patch.color = color.value;
  }
  if (Object.keys(patch).length === 0) return { error: 'nothing to change: send body, resolved or color' };
  return patch;
}
