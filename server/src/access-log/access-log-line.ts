/**
 * `randnoter admin access-log` prints one JSON object per line (JSON lines), with these keys in
 * this order, every key always present (null when it does not apply): a stable format for `jq`,
 * a spreadsheet import or a reply to a person who asks who read their comments.
 *
 *   {"at":"2026-12-07T09:12:03.120Z","user":"u-anne","action":"opened","via":"socket",
 *    "group":"soc","packet":"p-2026-12","item":null,"format":null}
 *
 * docs/OPERATIONS.md, "Access log", describes each field.
 */
import type { AccessEntry } from '../storage/access-log.ts';

export function accessLogLine(e: AccessEntry): string {
  return JSON.stringify({
    at: e.at,
    user: e.userId,
    action: e.action,
    via: e.via,
    group: e.groupId,
    packet: e.packetId,
    item: e.itemNumber,
    format: e.detail,
  });
}

/** `--since`: a date (YYYY-MM-DD, from its start in UTC) or an ISO time; null when it is neither. */
export function parseSince(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
