/**
 * How each server under test frames the Yjs sync protocol on the wire. The load generator speaks
 * plain y-protocols messages (sync step 1/2, update) and lets a framing wrap and unwrap them:
 *
 *   y-websocket (Randnoter, the reference server): [varUint type][payload]
 *   Hocuspocus: [varString document name][varUint type][payload], an auth message
 *     [name][2][0][varString token] first, and a SyncStatus [name][8][varUint 1|0] for every
 *     update it has applied (its "saved" signal).
 *
 * Randnoter's ack is [100][varUint n]: the first n updates of this socket are durably stored.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];

/** What a client learns from one frame. Anything else (awareness, auth replies) is `other`. */
export type Incoming =
  | { kind: 'sync'; step: SyncStep; payload: Uint8Array }
  /** `total`: how many of this socket's updates are acknowledged so far. */
  | { kind: 'ack'; total: number }
  /** One more update acknowledged (Hocuspocus counts them one by one). */
  | { kind: 'ack-one' }
  | { kind: 'other' };

export interface Framing {
  readonly name: string;
  /** Frames to send once the socket is open, before anything else. */
  hello(room: string, token: string): Uint8Array[];
  sync(room: string, step: SyncStep, payload: Uint8Array): Uint8Array;
  read(frame: Uint8Array): Incoming;
}

const Y_SYNC = 0;
const RANDNOTER_ACK = 100;

function syncMessage(encoder: encoding.Encoder, step: SyncStep, payload: Uint8Array): Uint8Array {
  encoding.writeVarUint(encoder, Y_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function readSync(decoder: decoding.Decoder): Incoming {
  const step = decoding.readVarUint(decoder);
  if (step !== SyncStep.step1 && step !== SyncStep.step2 && step !== SyncStep.update) return { kind: 'other' };
  return { kind: 'sync', step, payload: decoding.readVarUint8Array(decoder) };
}

export const yWebsocketFraming: Framing = {
  name: 'y-websocket',
  hello: () => [],
  sync: (_room, step, payload) => syncMessage(encoding.createEncoder(), step, payload),
  read(frame) {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === Y_SYNC) return readSync(decoder);
    if (type === RANDNOTER_ACK) return { kind: 'ack', total: decoding.readVarUint(decoder) };
    return { kind: 'other' };
  },
};

const HP_AUTH = 2;
const HP_AUTH_TOKEN = 0;
const HP_SYNC_REPLY = 4;
const HP_SYNC_STATUS = 8;

export const hocuspocusFraming: Framing = {
  name: 'hocuspocus',
  hello(room, token) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, room);
    encoding.writeVarUint(encoder, HP_AUTH);
    encoding.writeVarUint(encoder, HP_AUTH_TOKEN);
    encoding.writeVarString(encoder, token);
    return [encoding.toUint8Array(encoder)];
  },
  sync(room, step, payload) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, room);
    return syncMessage(encoder, step, payload);
  },
  read(frame) {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === Y_SYNC || type === HP_SYNC_REPLY) return readSync(decoder);
    if (type === HP_SYNC_STATUS) return decoding.readVarUint(decoder) === 1 ? { kind: 'ack-one' } : { kind: 'other' };
    return { kind: 'other' };
  },
};
