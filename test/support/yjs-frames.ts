/** y-websocket frames, encoded and decoded by hand, for raw clients that must not be a WebsocketProvider. */
import { AuthMessage, MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1 = (doc: Y.Doc) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });

export const syncStep2 = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step2);
    encoding.writeVarUint8Array(e, update);
  });

export const syncUpdate = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.update);
    encoding.writeVarUint8Array(e, update);
  });

const awarenessMessage = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });

/** One awareness entry written by hand: any client id, clock and state JSON. */
export const awarenessEntry = (clientId: number, clock: number, state: unknown) =>
  awarenessMessage(
    message((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
    }),
  );

export const queryAwareness = () => message((e) => encoding.writeVarUint(e, MessageType.queryAwareness));

export const authMessage = (token: string) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeVarUint(e, AuthMessage.token);
    encoding.writeVarString(e, token);
  });

export type ServerMessage =
  | { type: 'sync'; step: number; payload: Uint8Array }
  | { type: 'awareness'; payload: Uint8Array }
  | { type: 'ack'; count: number }
  | { type: 'other'; messageType: number };

export function decodeServerMessage(bytes: Uint8Array): ServerMessage {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.sync) return { type: 'sync', step: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) };
  if (type === MessageType.awareness) return { type: 'awareness', payload: decoding.readVarUint8Array(decoder) };
  if (type === MessageType.ack) return { type: 'ack', count: decoding.readVarUint(decoder) };
  return { type: 'other', messageType: type };
}

/** Applies every document update in `messages` (sync step 2 and updates) to `doc`. */
export function applyServerMessages(doc: Y.Doc, messages: readonly Uint8Array[]): void {
  for (const bytes of messages) {
    const m = decodeServerMessage(bytes);
    if (m.type === 'sync' && m.step !== SyncStep.step1) Y.applyUpdate(doc, m.payload);
  }
}

/** Awareness states the server sent, decoded into a scratch Awareness. */
export function awarenessStates(messages: readonly Uint8Array[]): Map<number, Record<string, unknown>> {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  for (const bytes of messages) {
    const m = decodeServerMessage(bytes);
    if (m.type === 'awareness') awarenessProtocol.applyAwarenessUpdate(awareness, m.payload, 'server');
  }
  const states = new Map(awareness.getStates()) as Map<number, Record<string, unknown>>;
  awareness.destroy();
  return states;
}

export function lastAck(messages: readonly Uint8Array[]): number {
  let n = 0;
  for (const bytes of messages) {
    const m = decodeServerMessage(bytes);
    if (m.type === 'ack') n = m.count;
  }
  return n;
}
