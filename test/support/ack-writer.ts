/**
 * A writer that knows exactly what the server has acknowledged: it sends one Yjs update per note
 * on a `?ack=1` socket and reads the server's ack messages ("the first n updates you sent are
 * stored"). Hand-written on the `ws` package so that the n-th update is the n-th note.
 */
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { waitFor } from './wait-for.ts';
import { decodeServerMessage, syncUpdate } from './yjs-frames.ts';

export interface AckWriter {
  readonly doc: Y.Doc;
  /** Ids in the order their updates were sent. */
  readonly sent: readonly string[];
  readonly acked: number;
  readonly closeCode: number | null;
  /** Ids the server has acknowledged as stored. */
  ackedIds(): string[];
  /** Sends one note (one update); returns its id. */
  write(body?: string): string;
  /** Sends an edit of an existing note (one update). */
  edit(id: string, body: string): void;
  /** Writes until `stop()`, `max` notes, or the socket closes; yields to the event loop between notes. */
  writeUntilStopped(max: number): Promise<void>;
  stop(): void;
  close(): void;
}

export const pageNote = (id: string, body: string): AnnotationDraft => ({
  id,
  kind: 'note',
  body,
  replyTo: null,
  color: null,
  tags: [],
  target: { page: 1 },
});

export async function openAckWriter(wsUrl: string, room: string, token: string, idPrefix: string): Promise<AckWriter> {
  const ws = new WebSocket(`${wsUrl}/${room}?token=${token}&ack=1`);
  const doc = new Y.Doc();
  const sent: string[] = [];
  let acked = 0;
  let closeCode: number | null = null;
  let stopped = false;
  ws.on('message', (data: Buffer) => {
    const m = decodeServerMessage(new Uint8Array(data));
    if (m.type === 'ack') acked = m.count;
  });
  ws.on('close', (code) => {
    closeCode = code;
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`writer socket closed before opening (${code})`)));
  });

  const send = (change: () => void) => {
    const before = Y.encodeStateVector(doc);
    change();
    if (ws.readyState === ws.OPEN) ws.send(syncUpdate(Y.encodeStateAsUpdate(doc, before)));
  };

  const writer: AckWriter = {
    doc,
    sent,
    get acked() {
      return acked;
    },
    get closeCode() {
      return closeCode;
    },
    ackedIds: () => sent.slice(0, acked),
    write(body) {
      const id = `${idPrefix}-${sent.length}`;
      send(() => insertAnnotation(doc, pageNote(id, body ?? `note ${id}`), null, new Date().toISOString()));
      sent.push(id);
      return id;
    },
    edit(id, body) {
      send(() => patchAnnotation(doc, id, { body }, new Date().toISOString()));
      sent.push(id);
    },
    async writeUntilStopped(max) {
      while (!stopped && sent.length < max && ws.readyState === ws.OPEN) {
        writer.write();
        // Keep a little in flight, never an unbounded backlog in our own buffers.
        if (ws.bufferedAmount > 64 * 1024 || sent.length - acked > 200) {
          await waitFor(() => stopped || ws.readyState !== ws.OPEN || (ws.bufferedAmount < 16 * 1024 && sent.length - acked < 100), {
            intervalMs: 1,
            timeoutMs: 30_000,
          });
        } else {
          await new Promise((r) => setImmediate(r));
        }
      }
    },
    stop() {
      stopped = true;
    },
    close() {
      stopped = true;
      ws.terminate();
    },
  };
  return writer;
}
