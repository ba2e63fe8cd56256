/**
 * The WebSocket wire format, every message's encoder beside its decoder (docs/PROTOCOL.md,
 * "Frames", describes the same bytes). y-websocket's framing (sync, awareness, auth; lib0
 * encoding, as y-protocols writes it) plus Randnoter's extras: the auth message's token, the ack and the notification.
 * The server and the extension speak it through this module; wire.test.ts round-trips each pair.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AuthMessage, MessageType, SyncStep } from './message-types.ts';

export type WireMessage =
  /** step1: `payload` is a state vector; step2 and update: a Yjs update. */
  | { type: typeof MessageType.sync; step: SyncStep; payload: Uint8Array }
  /** A y-protocols awareness update. */
  | { type: typeof MessageType.awareness; update: Uint8Array }
  /** Client → server, as a socket's first frame only: the token that authenticates it. */
  | { type: typeof MessageType.auth; token: string }
  | { type: typeof MessageType.queryAwareness }
  /** Server → client: the first `count` document updates this socket sent are durably stored. */
  | { type: typeof MessageType.ack; count: number }
  /** Server → client (sockets opened with ?notify=1): the JSON of one new notification of the socket's user. */
  | { type: typeof MessageType.notification; json: string };

/**
 * A sync message in one exact-size allocation: the hot path, every relayed update is one. The
 * same bytes as y-protocols' writeSyncStep1 / writeSyncStep2 / writeUpdate after the type.
 */
export function encodeSyncMessage(step: SyncStep, payload: Uint8Array): Uint8Array {
  let lengthBytes = 1;
  for (let n = payload.byteLength; n > 0x7f; n >>>= 7) lengthBytes++;
  const message = new Uint8Array(2 + lengthBytes + payload.byteLength);
  message[0] = MessageType.sync;
  message[1] = step;
  let at = 2;
  let n = payload.byteLength;
  for (; n > 0x7f; n >>>= 7) message[at++] = 0x80 | (n & 0x7f);
  message[at++] = n;
  message.set(payload, at);
  return message;
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  return write((encoder) => {
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeAuthMessage(token: string): Uint8Array {
  return write((encoder) => {
    encoding.writeVarUint(encoder, MessageType.auth);
    encoding.writeVarUint(encoder, AuthMessage.token);
    encoding.writeVarString(encoder, token);
  });
}

export function encodeQueryAwareness(): Uint8Array {
  return Uint8Array.of(MessageType.queryAwareness);
}

export function encodeAck(count: number): Uint8Array {
  return write((encoder) => {
    encoding.writeVarUint(encoder, MessageType.ack);
    encoding.writeVarUint(encoder, count);
  });
}

export function encodeNotificationMessage(json: string): Uint8Array {
  return write((encoder) => {
    encoding.writeVarUint(encoder, MessageType.notification);
    encoding.writeVarString(encoder, json);
  });
}

/** A notification message's body, after its type: for y-websocket clients, whose message handlers get the decoder there. */
export function readNotificationJson(decoder: decoding.Decoder): string {
  return decoding.readVarString(decoder);
}

/**
 * Reads one message. Throws on a type, sync step or auth sub-type this protocol does not have,
 * and on a truncated frame. Bytes after the message are left unread (y-websocket's server reads
 * frames the same way), unless `whole`: then they make the frame malformed too.
 */
export function decodeMessage(frame: Uint8Array, { whole = false } = {}): WireMessage {
  const decoder = decoding.createDecoder(frame);
  const message = readMessage(decoder);
  if (whole && decoding.hasContent(decoder)) throw new Error('bytes after the message');
  return message;
}

function readMessage(decoder: decoding.Decoder): WireMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.sync: {
      const step = decoding.readVarUint(decoder);
      if (step !== SyncStep.step1 && step !== SyncStep.step2 && step !== SyncStep.update) throw new Error(`unknown sync step ${step}`);
      return { type, step, payload: decoding.readVarUint8Array(decoder) };
    }
    case MessageType.awareness:
      return { type, update: decoding.readVarUint8Array(decoder) };
    case MessageType.auth: {
      const sub = decoding.readVarUint(decoder);
      // Sub-type 0 is y-protocols' "permission denied" (server → client), which this server never sends.
      if (sub !== AuthMessage.token) throw new Error(`unexpected auth message ${sub}`);
      return { type, token: decoding.readVarString(decoder) };
    }
    case MessageType.queryAwareness:
      return { type };
    case MessageType.ack:
      return { type, count: readAckCount(decoder) };
    case MessageType.notification:
      return { type, json: readNotificationJson(decoder) };
    default:
      throw new Error(`unexpected message type ${type}`);
  }
}

/** An ack's body, after its type: for y-websocket clients, whose message handlers get the decoder there. */
export function readAckCount(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

function write(fill: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  fill(encoder);
  return encoding.toUint8Array(encoder);
}
