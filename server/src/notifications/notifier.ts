/**
 * Makes notifications when the server applies an intent (docs/NOTIFICATIONS.md): after the
 * comment is committed, one row per (recipient, comment, reason), stored once whichever process
 * or retry gets there first (the unique key), and each stored row delivered live by the process
 * that stored it. A failure here is logged and does not undo the comment, which is stored.
 */
import { type Annotation, quoteOf } from '@randnoter/shared/model/annotation';
import { NotificationReason } from '@randnoter/shared/protocol/http-api';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.ts';
import {
  DEFAULT_SETTING,
  followersOf,
  forgetComment,
  insertNotifications,
  type NewNotification,
  pruneNotifications,
  type StoredNotification,
  settingsFor,
} from '../storage/notifications.ts';
import type { Database } from '../storage/schema.ts';
import { audienceOf, type CommentPlace } from './audience.ts';
import { type CommentFacts, recipients, takes } from './recipients.ts';

/** Characters of the packet's text a notification quotes. */
const QUOTE_CHARS = 200;

export interface NotifierDeps {
  db: Kysely<Database>;
  log: Logger;
  clock: () => Date;
  /** Notifications one user keeps; older ones go. */
  keepPerUser: number;
  /** Sends a new notification to its recipient's open sockets, in this process and the others. */
  deliver(notification: StoredNotification): void;
}

export class Notifier {
  readonly #deps: NotifierDeps;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
  }

  /** The ids among `mentions` who can see a comment at `place`; the others are dropped without a word. */
  async keepVisible(place: CommentPlace, mentions: readonly string[] | undefined): Promise<string[] | undefined> {
    if (mentions === undefined) return undefined;
    if (mentions.length === 0) return [];
    const audience = new Set((await audienceOf(this.#deps.db, place)).map((m) => m.id));
    return mentions.filter((id) => audience.has(id));
  }

  /** A comment or reply was created (or its creation retried): everyone it concerns hears of it once. */
  async created(place: CommentPlace, comment: Annotation, facts: CommentFacts): Promise<void> {
    await this.#guard(async () => {
      const followers = await followersOf(this.#deps.db, place.groupId, place.packetId);
      const audience = new Set((await audienceOf(this.#deps.db, place)).map((m) => m.id));
      const candidates = [...new Set([...facts.mentions, ...followers, ...facts.threadAuthorIds, facts.parentAuthorId ?? ''])];
      const settings = await settingsFor(
        this.#deps.db,
        place.groupId,
        candidates.filter((id) => audience.has(id)),
      );
      const chosen = recipients(facts, followers, audience, settings, DEFAULT_SETTING);
      await this.#store(place, comment, chosen);
    });
  }

  /** The author changed whom a comment mentions: the newly mentioned hear of it, nobody twice. */
  async mentionsEdited(place: CommentPlace, comment: Annotation, before: readonly string[]): Promise<void> {
    const added = (comment.mentions ?? []).filter((id) => !before.includes(id) && id !== comment.author?.id);
    if (added.length === 0) return;
    await this.#guard(async () => {
      const settings = await settingsFor(this.#deps.db, place.groupId, added);
      const chosen = added
        .filter((id) => takes(settings.get(id) ?? DEFAULT_SETTING, NotificationReason.mention))
        .map((recipientId) => ({ recipientId, reason: NotificationReason.mention }));
      await this.#store(place, comment, chosen);
    });
  }

  /** A comment was deleted: the notifications about it go too (its words are gone). */
  async deleted(place: CommentPlace, annotationId: string): Promise<void> {
    await this.#guard(() => forgetComment(this.#deps.db, place.groupId, place.packetId, annotationId));
  }

  async #store(place: CommentPlace, comment: Annotation, chosen: ReadonlyArray<{ recipientId: string; reason: NotificationReason }>) {
    if (chosen.length === 0 || !comment.author) return;
    const quote = quoteOf(comment.target)?.exact.slice(0, QUOTE_CHARS) ?? null;
    const itemNumber = place.itemNumber ?? comment.target.agendaItem?.number ?? null;
    const created = this.#deps.clock().toISOString();
    const rows: NewNotification[] = chosen.map(({ recipientId, reason }) => ({
      recipientId,
      reason,
      actor: comment.author as { id: string; name: string },
      groupId: place.groupId,
      packetId: place.packetId,
      itemNumber,
      closed: place.itemNumber !== null,
      annotationId: comment.id,
      quote,
      created,
    }));
    const stored = await insertNotifications(this.#deps.db, rows);
    for (const n of stored) {
      await pruneNotifications(this.#deps.db, n.recipientId, this.#deps.keepPerUser);
      this.#deps.deliver(n);
    }
  }

  async #guard(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#deps.log.error('notifications failed', { error: String(error) });
    }
  }
}
