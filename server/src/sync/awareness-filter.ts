/**
 * Presence (y-protocols awareness) from a peer, checked and rewritten before the room applies it:
 * names are the authenticated user's, a peer may not speak for another peer's client ids, and
 * states are small (presence is a name, a colour and a page, not a document).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's presence as it travels: its id, clock and JSON state. */
interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** Largest JSON of one awareness state, in characters. */
export const MAX_AWARENESS_STATE_CHARS = 16 * 1024;
/** Awareness client ids one connection may introduce (a y-websocket client uses one). */
export const MAX_AWARENESS_IDS_PER_PEER = 8;

export class AwarenessError extends Error {}

/** Takes out of a presence state what its room must not show (a closed item's reader, say). */
export type PresenceRedactor = (state: Record<string, unknown>) => void;

/**
 * Re-encodes an awareness update with `user.name` and `user.id` set to the authenticated user's
 * (and what `redact` takes out); entries for client ids the peer may not use are dropped. Throws
 * AwarenessError on malformed or oversized input.
 */
export function rewriteAwareness(
  update: Uint8Array,
  user: { userId: string; userName: string },
  mayUse: (clientId: number, clock: number) => boolean,
  redact?: PresenceRedactor,
): EncodedEntries {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  for (const { clientId, clock, state: raw } of readEntries(decoder)) {
    if (raw.length > MAX_AWARENESS_STATE_CHARS) throw new AwarenessError('awareness state too large');
    if (!mayUse(clientId, clock)) continue;
    let state: unknown;
    try {
      state = JSON.parse(raw);
    } catch {
      throw new AwarenessError('awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
      throw new AwarenessError('awareness state must be an object or null');
    if (state !== null) {
      const record = state as Record<string, unknown>;
      const previous = record.user;
      const rest = typeof previous === 'object' && previous !== null && !Array.isArray(previous) ? previous : {};
      record.user = { ...rest, name: user.userName, id: user.userId };
      redact?.(record);
    }
    entries.push({ clientId, clock, state: JSON.stringify(state) });
  }
  if (decoding.hasContent(decoder)) throw new AwarenessError('trailing bytes after the awareness update');
  return encodeEntries(entries);
}

/**
 * Keeps the entries of an awareness update whose client id passes `keep` (presence another
 * server process relays must not overwrite that of this process's own peers). Throws on
 * malformed input.
 */
export function filterAwareness(update: Uint8Array, keep: (clientId: number) => boolean): EncodedEntries {
  const entries = [...readEntries(decoding.createDecoder(update))].filter((entry) => keep(entry.clientId));
  return encodeEntries(entries);
}

/** An awareness update's entries (y-protocols' encoding), read one at a time. */
function* readEntries(decoder: decoding.Decoder): Generator<AwarenessEntry> {
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    yield { clientId, clock, state: decoding.readVarString(decoder) };
  }
}

/** An awareness update's wire form, with each entry's client id and state size (JSON characters; 0 for a removal). */
export interface EncodedEntries {
  update: Uint8Array;
  clientIds: number[];
  stateChars: number[];
}

/** The wire form of an awareness update's entries (y-protocols' encoding), with their client ids. */
function encodeEntries(entries: ReadonlyArray<AwarenessEntry>): EncodedEntries {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return {
    update: encoding.toUint8Array(encoder),
    clientIds: entries.map((e) => e.clientId),
    stateChars: entries.map((e) => (e.state === 'null' ? 0 : e.state.length)),
  };
}
