/**
 * What each member has written in a shared room, for the per-author quotas: live comments and
 * replies with their characters, and every entry they ever made there (tombstones too, which
 * stay). Built from the doc once, then kept up to date by observing it (intents, and what other
 * server processes wrote), so a quota check costs nothing however big the room is.
 */
import type { Annotation } from '@randnoter/shared/model/annotation';
import { annotationsOf, readAnnotation } from '@randnoter/shared/model/annotation-doc';
import type * as Y from 'yjs';
import { Refusal, RefusalKind } from '../refusal.ts';

export interface Usage {
  live: number;
  chars: number;
  entries: number;
}

export interface AuthorQuota {
  /** Live comments and replies one member may have in one shared room. */
  maxComments: number;
  /** Characters of them (body, target, tags). */
  maxChars: number;
}

/** An entry's characters as the quota counts them: its words, its anchor (quotes included) and its tags. */
export function entryChars(a: Pick<Annotation, 'body' | 'target' | 'tags'>): number {
  return a.body.length + JSON.stringify(a.target).length + a.tags.reduce((n, t) => n + t.length, 0);
}

type Contribution = { author: string; live: boolean; chars: number };

class RoomUsage {
  readonly #byEntry = new Map<string, Contribution>();
  readonly #byAuthor = new Map<string, Usage>();

  constructor(doc: Y.Doc) {
    const annotations = annotationsOf(doc);
    for (const id of annotations.keys()) this.#recount(annotations, id);
    annotations.observeDeep((events) => {
      const touched = new Set<string>();
      for (const event of events) {
        if (event.target === annotations) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) touched.add(key);
        else if (typeof event.path[0] === 'string') touched.add(event.path[0]);
      }
      for (const id of touched) this.#recount(annotations, id);
    });
  }

  of(author: string): Usage {
    return this.#byAuthor.get(author) ?? { live: 0, chars: 0, entries: 0 };
  }

  #recount(annotations: Y.Map<Y.Map<unknown>>, id: string): void {
    const previous = this.#byEntry.get(id);
    if (previous) this.#add(previous, -1);
    const entry = annotations.get(id);
    const annotation = entry ? readAnnotation(entry) : null;
    if (!annotation?.author) {
      this.#byEntry.delete(id);
      return;
    }
    const now = { author: annotation.author.id, live: !annotation.deleted, chars: annotation.deleted ? 0 : entryChars(annotation) };
    this.#byEntry.set(id, now);
    this.#add(now, 1);
  }

  #add({ author, live, chars }: Contribution, sign: 1 | -1): void {
    const usage = this.#byAuthor.get(author) ?? { live: 0, chars: 0, entries: 0 };
    usage.entries += sign;
    if (live) usage.live += sign;
    usage.chars += sign * chars;
    if (usage.entries === 0) this.#byAuthor.delete(author);
    else this.#byAuthor.set(author, usage);
  }
}

/** The quotas of every loaded shared room (a room's usage is made at its first intent, and goes with its doc). */
export class SharedRoomQuotas {
  readonly #quota: AuthorQuota;
  readonly #rooms = new WeakMap<Y.Doc, RoomUsage>();

  constructor(quota: AuthorQuota) {
    this.#quota = quota;
  }

  usage(doc: Y.Doc, author: string): Usage {
    let room = this.#rooms.get(doc);
    if (!room) {
      room = new RoomUsage(doc);
      this.#rooms.set(doc, room);
    }
    return room.of(author);
  }

  /** Refuses (tooLarge) when `author` adding `comments` comments of `chars` characters would pass a quota. */
  admit(doc: Y.Doc, author: string, { comments, chars }: { comments: number; chars: number }): void {
    const { maxComments, maxChars } = this.#quota;
    const usage = this.usage(doc, author);
    if (comments > 0 && usage.live + comments > maxComments)
      throw new Refusal(
        RefusalKind.tooLarge,
        `you have ${usage.live} comments in this room, the most one member may have (${maxComments}): delete some first`,
      );
    // Tombstones stay in the room: past four times the quota of entries, a member writes no more here.
    if (comments > 0 && usage.entries + comments > 4 * maxComments)
      throw new Refusal(RefusalKind.tooLarge, 'you have written and deleted too many comments in this room');
    if (chars > 0 && usage.chars + chars > maxChars)
      throw new Refusal(
        RefusalKind.tooLarge,
        `your comments in this room would pass ${maxChars} characters, the most one member may write here: delete some first`,
      );
  }
}
