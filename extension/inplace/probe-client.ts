/**
 * The isolated world's side of the probe channel (messaging/probe-messages.ts): asks the probe in
 * the page's world about its pdf.js viewer and hears the viewer's events. Every answer is checked
 * by the caller's reader; an answer that does not come within the time limit counts as none.
 */
import { ObservableV2 } from 'lib0/observable';
import { PROBE_CHANNEL, type ProbeEventName, type ProbeQuestion, readProbeMessage } from '../messaging/probe-messages.ts';

/** A page of text from a big scanned packet takes a while; nothing takes longer than this. */
const ANSWER_TIMEOUT_MS = 20_000;

type Ask = ProbeQuestion extends infer Q ? (Q extends { ask: infer A } ? { ask: A } & Omit<Q, 'channel' | 'id' | 'ask'> : never) : never;

export interface ProbeClient {
  /** The probe's raw answer (check it with a reader from probe-messages.ts), null when none came. */
  ask(question: Ask, timeoutMs?: number): Promise<unknown>;
  readonly events: ObservableV2<{ viewer: (event: ProbeEventName, page: number | null) => void }>;
  destroy(): void;
}

export function createProbeClient(win: Window): ProbeClient {
  const events = new ObservableV2<{ viewer: (event: ProbeEventName, page: number | null) => void }>();
  const waiting = new Map<string, (value: unknown) => void>();
  const onMessage = (event: MessageEvent) => {
    // Only this frame's own window: another frame's messages, or a page's, are not the probe's.
    if (event.source !== win) return;
    const message = readProbeMessage(event.data);
    if (!message) return;
    if ('answer' in message) {
      const resolve = waiting.get(message.answer);
      waiting.delete(message.answer);
      resolve?.(message.value);
    } else events.emit('viewer', [message.event, message.page ?? null]);
  };
  win.addEventListener('message', onMessage);
  return {
    ask(question, timeoutMs = ANSWER_TIMEOUT_MS) {
      const id = crypto.randomUUID();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(null);
        }, timeoutMs);
        waiting.set(id, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
        win.postMessage({ ...question, channel: PROBE_CHANNEL, id }, '*');
      });
    },
    events,
    destroy() {
      win.removeEventListener('message', onMessage);
      for (const resolve of waiting.values()) resolve(null);
      waiting.clear();
      events.destroy();
    },
  };
}
