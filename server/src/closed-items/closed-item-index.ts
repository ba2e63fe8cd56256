/**
 * Which agenda items are closed, held in memory for what must be decided without waiting: the
 * presence of a group's open room, which must not say who reads a closed item
 * (docs/CLOSED-ITEMS.md). A peer's `reading` (its page and agenda item, extension/sync/presence.ts)
 * is taken out of its presence in the open room when the item is closed, or when the packet has a
 * closed item and the state does not say which item it is on. The whole table is read again every
 * `refreshMs` (changes made elsewhere) and after each change made here; until the first read
 * nothing is known, and `reading` is taken out of every open room's presence.
 */
import { parseStorageName } from '@randnoter/shared/protocol/rooms';
import type { Logger } from '../log.ts';
import type { PresenceRedactor } from '../sync/awareness-filter.ts';

type ClosedRow = { groupId: string; packetId: string; itemNumber: number };

export class ClosedItemIndex {
  readonly #read: () => Promise<ClosedRow[]>;
  readonly #log: Logger;
  /** `<group>/<packet>` → its closed items; null until first read. */
  #items: Map<string, Set<number>> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #reading: Promise<void> | null = null;

  constructor(read: () => Promise<ClosedRow[]>, log: Logger) {
    this.#read = read;
    this.#log = log;
  }

  /** Reads the table now and then every `refreshMs`. */
  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref();
  }

  destroy(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Reads the table again (one read at a time; a read asked for meanwhile waits for it and reads once more). */
  async refresh(): Promise<void> {
    const before = this.#reading;
    const run = (async () => {
      await before?.catch(() => {});
      try {
        const items = new Map<string, Set<number>>();
        for (const { groupId, packetId, itemNumber } of await this.#read()) {
          const key = `${groupId}/${packetId}`;
          items.set(key, (items.get(key) ?? new Set()).add(itemNumber));
        }
        this.#items = items;
      } catch (error) {
        this.#log.warn('could not read the closed items', { error: String(error) });
      }
    })();
    this.#reading = run;
    await run;
  }

  /** What the presence of room `name` must not show: for a group's open room, the reading of closed items. */
  redactorFor(name: string): PresenceRedactor | undefined {
    const room = parseStorageName(name);
    if (room?.kind !== 'shared') return undefined;
    const key = `${room.groupId}/${room.packetId}`;
    return (state) => {
      const closed = this.#items === null ? null : (this.#items.get(key) ?? new Set<number>());
      if (closed !== null && closed.size === 0) return;
      const reading = state.reading;
      const item = typeof reading === 'object' && reading !== null ? (reading as { item?: unknown }).item : undefined;
      if (closed === null || typeof item !== 'number' || closed.has(item)) delete state.reading;
    };
  }
}
