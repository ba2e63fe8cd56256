/**
 * Who hears of a new comment, and why: pure, so the rules are tested without a server.
 * Each recipient gets the strongest reason that applies (mention, then reply, then thread, then
 * follow): one comment, one notification each. Never the author; never anyone outside the
 * comment's audience; never anyone whose setting for the group does not take the reason.
 */
import { NotificationLevel, NotificationReason } from '@randnoter/shared/protocol/http-api';
import type { GroupSetting } from '../storage/notifications.ts';

/** What the room says about a comment, read when it was written. */
export interface CommentFacts {
  authorId: string;
  /** People it mentions (already only its audience). */
  mentions: readonly string[];
  /** A reply: the author of the comment it answers; null otherwise. */
  parentAuthorId: string | null;
  /** A reply: the authors of the other live replies in the same thread. */
  threadAuthorIds: readonly string[];
}

const ORDER = [NotificationReason.mention, NotificationReason.reply, NotificationReason.thread, NotificationReason.follow] as const;

/** Whether a member with this setting hears of this reason. */
export function takes(setting: GroupSetting, reason: NotificationReason): boolean {
  if (setting.level === NotificationLevel.none) return false;
  return reason !== NotificationReason.follow || setting.level === NotificationLevel.all;
}

/**
 * Candidates per reason, before settings: `followers` are the members who opened the packet and
 * hear everything of the group.
 */
function candidates(facts: CommentFacts, followers: readonly string[]): Map<string, NotificationReason> {
  const byReason: Record<NotificationReason, readonly string[]> = {
    mention: facts.mentions,
    reply: facts.parentAuthorId ? [facts.parentAuthorId] : [],
    thread: facts.threadAuthorIds,
    follow: followers,
  };
  const chosen = new Map<string, NotificationReason>();
  for (const reason of ORDER) {
    for (const id of byReason[reason]) if (id !== facts.authorId && !chosen.has(id)) chosen.set(id, reason);
  }
  return chosen;
}

/** The recipients and their reasons: candidates in the audience whose settings take the reason. */
export function recipients(
  facts: CommentFacts,
  followers: readonly string[],
  audience: ReadonlySet<string>,
  settings: ReadonlyMap<string, GroupSetting>,
  defaults: GroupSetting,
): Array<{ recipientId: string; reason: NotificationReason }> {
  const out: Array<{ recipientId: string; reason: NotificationReason }> = [];
  for (const [recipientId, reason] of candidates(facts, followers)) {
    if (audience.has(recipientId) && takes(settings.get(recipientId) ?? defaults, reason)) out.push({ recipientId, reason });
  }
  return out;
}
