/**
 * The token of an e-mail's unsubscribe link: whose e-mail of which group to turn off, signed
 * (HMAC-SHA256) with a key the database holds (migration 0010), so every process accepts every
 * process's links and nobody can make one for someone else. It does not expire: an old e-mail's
 * link still turns that group's e-mail off, which is all it can do.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isId } from '@randnoter/shared/protocol/rooms';

const signature = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function unsubscribeToken(key: string, userId: string, groupId: string): string {
  const payload = `${userId}.${groupId}`;
  return `${payload}.${signature(key, payload)}`;
}

/** The user and group a token names, or null for anything not signed with `key`. */
export function readUnsubscribeToken(key: string, token: string): { userId: string; groupId: string } | null {
  const [userId, groupId, mac, ...rest] = token.split('.');
  if (rest.length > 0 || !isId(userId) || !isId(groupId) || mac === undefined) return null;
  const expected = Buffer.from(signature(key, `${userId}.${groupId}`));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { userId, groupId } : null;
}
