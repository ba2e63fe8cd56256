/**
 * A big Yjs update applied in slices, so that integrating it does not hold the event loop for
 * seconds (400,000 map entries took 1.1-5.3 s in one piece, and one crafted struct can cost a
 * scan of everything before it). `readUpdate` reads a v1 update's structs without integrating
 * anything (and throws on what Yjs would refuse, so a malformed update is refused before any of
 * it is applied); `sliceUpdate` cuts it into smaller v1 updates, in an order in which each
 * slice's structs find what they build on in the document or in the slices before: together
 * they apply to exactly what the whole update does.
 *
 * The v1 format (yjs src/utils/encoding.js): varUint number of clients; per client varUint number
 * of structs, varUint client, varUint first clock, then the structs, each self-contained (an
 * info byte, its origins and parent, its content); then the delete set. A struct's bytes are
 * copied into its slice unchanged.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One struct of an update: where its bytes are, its clock range, and what it builds on. */
interface Struct {
  clock: number;
  length: number;
  start: number;
  end: number;
  /** GC structs are integrated as such; Skip structs are gaps and integrate nothing. */
  skip: boolean;
  /** Ids (client, clock) that must be in the document before it: origins and a parent item. */
  deps: number[];
}

export interface ReadUpdate {
  readonly bytes: Uint8Array;
  /** Structs per client, in clock order. */
  readonly clients: ReadonlyMap<number, Struct[]>;
  readonly structCount: number;
  /** Where the delete set starts (it runs to the end). */
  readonly deleteSetStart: number;
}

const BITS5 = 31;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
/** Type refs of ContentType that carry a key: YXmlElement (3) and YXmlHook (5). */
const TYPE_REFS = 7;

export class MalformedUpdate extends Error {}

/**
 * Reads every struct of a v1 update, checking what Yjs would check as it reads it. Throws
 * MalformedUpdate (or a lib0 range error) on anything else, and past `maxStructs` structs.
 */
export function readUpdate(bytes: Uint8Array, maxStructs = Number.POSITIVE_INFINITY): ReadUpdate {
  const steps = readUpdateInSteps(bytes, maxStructs, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * readUpdate, pausing (yielding) after every `structsPerStep` structs, so a caller can let other
 * work run while a big update is read (200,000 structs take about 100 ms to read).
 */
export function* readUpdateInSteps(bytes: Uint8Array, maxStructs: number, structsPerStep: number): Generator<void, ReadUpdate> {
  const d = decoding.createDecoder(bytes);
  let sinceStep = 0;
  const clients = new Map<number, Struct[]>();
  let structCount = 0;
  const clientCount = decoding.readVarUint(d);
  for (let c = 0; c < clientCount; c++) {
    const count = decoding.readVarUint(d);
    structCount += count;
    if (structCount > maxStructs) throw new MalformedUpdate(`more than ${maxStructs} structures in one update`);
    const client = decoding.readVarUint(d);
    let clock = decoding.readVarUint(d);
    const structs = clients.get(client) ?? [];
    if (structs.length > 0) throw new MalformedUpdate('a client appears twice in one update');
    clients.set(client, structs);
    for (let i = 0; i < count; i++) {
      const start = d.pos;
      const info = decoding.readUint8(d);
      const ref = info & BITS5;
      let deps = NO_DEPS;
      let length: number;
      if (ref === 0 || ref === 10) {
        length = decoding.readVarUint(d);
      } else {
        if (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) {
          deps = [];
          if (info & HAS_ORIGIN) deps.push(decoding.readVarUint(d), decoding.readVarUint(d));
          if (info & HAS_RIGHT_ORIGIN) deps.push(decoding.readVarUint(d), decoding.readVarUint(d));
        } else {
          if (decoding.readVarUint(d) === 1) skipString(d);
          else deps = [decoding.readVarUint(d), decoding.readVarUint(d)];
          if (info & HAS_PARENT_SUB) skipString(d);
        }
        length = readContent(d, ref);
      }
      if (length < 1) throw new MalformedUpdate('a structure of length 0');
      structs.push({ clock, length, start, end: d.pos, skip: ref === 10, deps });
      clock += length;
      if (++sinceStep >= structsPerStep) {
        sinceStep = 0;
        yield;
      }
    }
  }
  const deleteSetStart = d.pos;
  readDeleteSet(d);
  if (decoding.hasContent(d)) throw new MalformedUpdate('trailing bytes after the update');
  return { bytes, clients, structCount, deleteSetStart };
}

/** Reads an item's content as Yjs would; returns its length (what the item adds to its client's clock). */
function readContent(d: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(d);
    case 2: {
      // JSON: one string each
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) {
        const s = decoding.readVarString(d);
        if (s !== 'undefined') JSON.parse(s);
      }
      return n;
    }
    case 3: // binary
      decoding.readVarUint8Array(d);
      return 1;
    case 4: // string: its length in UTF-16 code units
      return utf16Length(d);
    case 5: // embed
      JSON.parse(decoding.readVarString(d));
      return 1;
    case 6: // format: key and JSON value
      decoding.readVarString(d);
      JSON.parse(decoding.readVarString(d));
      return 1;
    case 7: {
      // a type: its ref, and a key for XML elements and hooks
      const typeRef = decoding.readVarUint(d);
      if (typeRef >= TYPE_REFS) throw new MalformedUpdate(`unknown type ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d);
      return 1;
    }
    case 8: {
      // any: lib0 values
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) readAny(d);
      return n;
    }
    case 9: // a subdocument: guid and options
      decoding.readVarString(d);
      readAny(d);
      return 1;
    default:
      throw new MalformedUpdate(`unknown content ${ref}`);
  }
}

/** Skips a lib0 `any` value (lib0/decoding readAny's encoding), refusing what it would not read. */
function readAny(d: decoding.Decoder, depth = 0): void {
  if (depth > 100) throw new MalformedUpdate('a value nested too deep');
  const type = decoding.readUint8(d);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer
      decoding.readVarInt(d);
      return;
    case 124: // float32
      decoding.readUint8Array(d, 4);
      return;
    case 123: // float64
    case 122: // bigint64
      decoding.readUint8Array(d, 8);
      return;
    case 119: // string
      skipString(d);
      return;
    case 118: {
      // object: key, value pairs
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) {
        skipString(d);
        readAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      // array
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) readAny(d, depth + 1);
      return;
    }
    case 116: // Uint8Array
      decoding.readVarUint8Array(d);
      return;
    default:
      throw new MalformedUpdate('unreadable value');
  }
}

/** Skips a varString (no need to decode what is copied as bytes). */
function skipString(d: decoding.Decoder): void {
  decoding.readUint8Array(d, decoding.readVarUint(d));
}

/**
 * A varString's length in UTF-16 code units, counted on its UTF-8 bytes: every byte that starts
 * a character counts one, and a four-byte character (outside the BMP) one more.
 */
function utf16Length(d: decoding.Decoder): number {
  const bytes = decoding.readUint8Array(d, decoding.readVarUint(d));
  let units = 0;
  for (const b of bytes) {
    if ((b & 0xc0) !== 0x80) units++;
    if (b >= 0xf0) units++;
  }
  return units;
}

const NO_DEPS: number[] = [];

function readDeleteSet(d: decoding.Decoder): void {
  const clients = decoding.readVarUint(d);
  for (let i = 0; i < clients; i++) {
    decoding.readVarUint(d);
    const ranges = decoding.readVarUint(d);
    for (let r = 0; r < ranges; r++) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
    }
  }
}

/**
 * The structs of each client in one slice. A client appears once in an update, and its structs
 * in a slice are consecutive (they go in in clock order), so the slice names only the first clock.
 */
type Runs = Map<number, Struct[]>;

/**
 * Cuts `update` into slices of about `sliceSize()` structs (asked before each slice, so the
 * caller can adapt it to how long the last one took), and of at most about `maxBytes` (a slice
 * of a few long strings costs more to copy and integrate than its count says). `known` is the document's state vector:
 * a struct goes into a slice once what it builds on is in the document or in an earlier slice
 * (or the same one); structs that wait for something the update does not bring go last, where
 * Yjs keeps them aside as it would have. The delete set goes with the last slice.
 */
export function* sliceUpdate(
  update: ReadUpdate,
  known: ReadonlyMap<number, number>,
  sliceSize: () => number,
  maxBytes = Number.POSITIVE_INFINITY,
): Generator<Uint8Array> {
  const have = new Map(known);
  const cursor = new Map<number, number>();
  /** Clients waiting, per client whose clock they wait for, with the clock they need. */
  const waiting = new Map<number, Array<{ client: number; clock: number }>>();
  const ready: number[] = [...update.clients.keys()];
  let runs: Runs = new Map();
  let inSlice = 0;
  let bytesInSlice = 0;
  let size = Math.max(1, sliceSize());

  const has = (client: number, clock: number) => clock < (have.get(client) ?? 0);
  /** What `struct` of `client` still waits for, or null. */
  const blocker = (client: number, struct: Struct): { client: number; clock: number } | null => {
    // Its own client's earlier structs first (a gap before it: it waits for the clock before it).
    if (!struct.skip && struct.clock > (have.get(client) ?? 0)) return { client, clock: struct.clock - 1 };
    for (let i = 0; i < struct.deps.length; i += 2) {
      const [depClient, depClock] = [struct.deps[i] as number, struct.deps[i + 1] as number];
      if (!has(depClient, depClock)) return { client: depClient, clock: depClock };
    }
    return null;
  };
  const add = (client: number, struct: Struct) => {
    const run = runs.get(client);
    if (run) run.push(struct);
    else runs.set(client, [struct]);
    inSlice++;
    bytesInSlice += struct.end - struct.start;
  };
  const full = () => inSlice >= size || bytesInSlice >= maxBytes;
  const flush = function* (withDeletes: boolean): Generator<Uint8Array> {
    if (runs.size === 0 && !withDeletes) return;
    yield encodeSlice(update, runs, withDeletes);
    runs = new Map();
    inSlice = 0;
    bytesInSlice = 0;
    size = Math.max(1, sliceSize());
  };
  /** Whoever waited for a clock of `client` now in the document may go on. */
  const wake = (client: number) => {
    const waiters = waiting.get(client);
    if (!waiters) return;
    const now = have.get(client) ?? 0;
    const still = waiters.filter((w) => w.clock >= now);
    if (still.length === waiters.length) return;
    waiting.set(client, still);
    for (const w of waiters) if (w.clock < now) ready.push(w.client);
  };

  while (ready.length > 0) {
    const client = ready.pop() as number;
    const structs = update.clients.get(client) as Struct[];
    let at = cursor.get(client) ?? 0;
    for (; at < structs.length; at++) {
      const struct = structs[at] as Struct;
      const waitFor = blocker(client, struct);
      if (waitFor) {
        const list = waiting.get(waitFor.client) ?? [];
        list.push({ client, clock: waitFor.clock });
        waiting.set(waitFor.client, list);
        break;
      }
      add(client, struct);
      if (!struct.skip) have.set(client, Math.max(have.get(client) ?? 0, struct.clock + struct.length));
      if (full()) {
        cursor.set(client, at + 1);
        yield* flush(false);
      }
    }
    cursor.set(client, at);
    wake(client);
  }
  // What still waits is for something the update does not bring: Yjs keeps it aside.
  for (const [client, structs] of update.clients) {
    for (let at = cursor.get(client) ?? 0; at < structs.length; at++) {
      add(client, structs[at] as Struct);
      if (full()) yield* flush(false);
    }
  }
  yield* flush(true);
}

function encodeSlice(update: ReadUpdate, runs: Runs, withDeletes: boolean): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, runs.size);
  for (const [client, structs] of runs) {
    encoding.writeVarUint(e, structs.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, (structs[0] as Struct).clock);
    for (const s of structs) encoding.writeUint8Array(e, update.bytes.subarray(s.start, s.end));
  }
  if (withDeletes) encoding.writeUint8Array(e, update.bytes.subarray(update.deleteSetStart));
  else encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}
