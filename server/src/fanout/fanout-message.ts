/**
 * What server processes tell each other about a room, over Redis (docs/ARCHITECTURE.md, "Several
 * processes"). One binary message per publish, lib0-encoded:
 *
 *   varUint version (1) · varString from (the sending process) · varUint kind · payload
 *   kind 0 updates:         varUint n, then n × (varUint seq, varUint hasData, [varUint8Array data])
 *   kind 1 awareness:       varUint8Array y-protocols awareness update
 *   kind 2 awareness query: (none) – "send me the presence of your peers"
 *   kind 3 reset:           (none) – an administrator emptied the room: drop your copy
 *
 * An update without data (too large to publish) is read from the database by its seq.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const VERSION = 1;

export const FanoutKind = { updates: 0, awareness: 1, awarenessQuery: 2, reset: 3 } as const;
export type FanoutKind = (typeof FanoutKind)[keyof typeof FanoutKind];

/** A committed update of the room; `data` null: read it from storage. */
export interface PublishedRow {
  seq: number;
  data: Uint8Array | null;
}

export type RoomMessage =
  | { kind: typeof FanoutKind.updates; rows: PublishedRow[] }
  | { kind: typeof FanoutKind.awareness; update: Uint8Array }
  | { kind: typeof FanoutKind.awarenessQuery }
  | { kind: typeof FanoutKind.reset };

export interface FanoutEnvelope {
  from: string;
  message: RoomMessage;
}

export function encodeFanoutMessage(from: string, message: RoomMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, VERSION);
  encoding.writeVarString(e, from);
  encoding.writeVarUint(e, message.kind);
  if (message.kind === FanoutKind.updates) {
    encoding.writeVarUint(e, message.rows.length);
    for (const row of message.rows) {
      encoding.writeVarUint(e, row.seq);
      encoding.writeVarUint(e, row.data ? 1 : 0);
      if (row.data) encoding.writeVarUint8Array(e, row.data);
    }
  } else if (message.kind === FanoutKind.awareness) {
    encoding.writeVarUint8Array(e, message.update);
  }
  return encoding.toUint8Array(e);
}

/** Throws on a message this version does not know. */
export function decodeFanoutMessage(bytes: Uint8Array): FanoutEnvelope {
  const d = decoding.createDecoder(bytes);
  const version = decoding.readVarUint(d);
  if (version !== VERSION) throw new Error(`fan-out message version ${version} is not ${VERSION}`);
  const from = decoding.readVarString(d);
  const kind = decoding.readVarUint(d);
  let message: RoomMessage;
  if (kind === FanoutKind.updates) {
    const count = decoding.readVarUint(d);
    const rows: PublishedRow[] = [];
    for (let i = 0; i < count; i++) {
      const seq = decoding.readVarUint(d);
      const data = decoding.readVarUint(d) === 1 ? decoding.readVarUint8Array(d) : null;
      rows.push({ seq, data });
    }
    message = { kind, rows };
  } else if (kind === FanoutKind.awareness) {
    message = { kind, update: decoding.readVarUint8Array(d) };
  } else if (kind === FanoutKind.awarenessQuery || kind === FanoutKind.reset) {
    message = { kind };
  } else {
    throw new Error(`unknown fan-out message kind ${kind}`);
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes after a fan-out message');
  return { from, message };
}

/** Largest published message; updates past it go without data (receivers read them from storage). */
const MAX_PUBLISHED_BYTES = 1024 * 1024;

/** The rows of one commit as published: data included while the message stays under the limit. */
export function publishedRows(rows: ReadonlyArray<{ seq: number; data: Uint8Array }>, maxBytes = MAX_PUBLISHED_BYTES): PublishedRow[] {
  let budget = maxBytes;
  return rows.map(({ seq, data }) => {
    if (data.byteLength > budget) return { seq, data: null };
    budget -= data.byteLength;
    return { seq, data };
  });
}
