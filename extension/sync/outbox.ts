/**
 * Shared-comment intents waiting for the server, kept in browser.storage.local so they survive
 * closing the browser. Sent in order; removed only when the server answered 2xx (stored) or
 * refused them for good (4xx), never on a network error.
 */

import type { AnnotationPatchInput, SharedDraft } from '@randnoter/shared/protocol/http-api';
import { browser } from 'wxt/browser';

/** A change to a group's comments as the server's routes take it (shared/protocol/http-api.ts), and when it was queued. */
export type Intent =
  | { op: 'create'; draft: SharedDraft; queued: string }
  | { op: 'edit'; id: string; patch: AnnotationPatchInput; queued: string }
  | { op: 'delete'; id: string; queued: string };

/** `status`: the server's HTTP status, 0 when it did not answer; the UI says it in the user's words (i18n/problems.ts). */
export type SendResult = { ok: true } | { ok: false; retry: boolean; status: number };

export class Outbox {
  readonly #key: string;
  #items: Intent[] = [];
  #flushing: Promise<void> | null = null;
  readonly #listeners = new Set<() => void>();

  private constructor(key: string) {
    this.#key = key;
  }

  static async open(key: string): Promise<Outbox> {
    const outbox = new Outbox(key);
    const stored = (await browser.storage.local.get(key))[key];
    outbox.#items = Array.isArray(stored) ? (stored as Intent[]) : [];
    return outbox;
  }

  get items(): readonly Intent[] {
    return this.#items;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async add(intent: Intent): Promise<void> {
    this.#items = [...this.#items, intent];
    await this.#save();
  }

  /**
   * Sends queued intents in order until one fails to reach the server. Refused intents are
   * dropped and reported through `onRefused` (with their text, so nothing typed is lost).
   */
  flush(send: (intent: Intent) => Promise<SendResult>, onRefused: (intent: Intent, status: number) => void): Promise<void> {
    // Assigned before the drain starts, and cleared asynchronously: one drain at a time.
    this.#flushing ??= this.#drain(send, onRefused).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #drain(send: (intent: Intent) => Promise<SendResult>, onRefused: (intent: Intent, status: number) => void): Promise<void> {
    while (this.#items.length > 0) {
      const intent = this.#items[0] as Intent;
      const result = await send(intent);
      if (!result.ok && result.retry) return;
      this.#items = this.#items.slice(1);
      await this.#save();
      if (!result.ok) onRefused(intent, result.status);
    }
  }

  async #save(): Promise<void> {
    await browser.storage.local.set({ [this.#key]: this.#items });
    for (const listener of this.#listeners) listener();
  }
}
