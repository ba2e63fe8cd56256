/**
 * One device writing notes into its private-notes room as fast as acknowledgements allow: the
 * load both the durability and the scale-out benchmarks put on a server.
 */
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

/** Unacknowledged updates a socket may have in flight, as a real client would keep. */
const MAX_IN_FLIGHT = 200;

export interface NoteWriterOptions {
  /** The server's http(s) address. */
  baseUrl: string;
  token: string;
  /** The packet part of the room name (`notes/<packet>`). */
  packet: string;
  /** Prefix of the notes' ids, so several devices of one user write distinct notes. */
  device: string;
  count: number;
  /** The write fails when not every note is acknowledged by then. */
  timeLimitMs: number;
}

/** Resolves once all `count` notes are acknowledged (`?ack=1`); rejects on a closed socket or the time limit. */
export async function writeNotes({ baseUrl, token, packet, device, count, timeLimitMs }: NoteWriterOptions): Promise<void> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/notes/${packet}?token=${token}&ack=1`);
  const doc = new Y.Doc();
  const annotations = doc.getMap('annotations');
  let acked = 0;
  let sent = 0;
  const done = Promise.withResolvers<void>();
  const pump = () => {
    while (sent < count && sent - acked < MAX_IN_FLIGHT) {
      const before = Y.encodeStateVector(doc);
      annotations.set(`${device}-${sent}`, new Y.Map([['body', `note ${sent}`]]));
      ws.send(updateFrame(Y.encodeStateAsUpdate(doc, before)));
      sent++;
    }
  };
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== MessageType.ack) return;
    acked = decoding.readVarUint(d);
    if (acked >= count) done.resolve();
    else pump();
  });
  ws.on('close', () => done.reject(new Error(`socket closed after ${acked} acks`)));
  ws.on('error', () => {});
  ws.once('open', pump);
  const timer = setTimeout(() => done.reject(new Error(`not every note acknowledged within ${timeLimitMs} ms`)), timeLimitMs);
  try {
    await done.promise;
  } finally {
    clearTimeout(timer);
    ws.removeAllListeners('close');
    ws.close();
  }
}

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncStep.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}
