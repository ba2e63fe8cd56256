/**
 * A big update integrated into a live document a slice at a time (update-slices.ts), the event
 * loop serving everyone else in between: read in steps, checked whole before any of it is applied,
 * then applied in slices whose size adapts to about SLICE_TARGET_MS each.
 */
import * as Y from 'yjs';
import { readUpdateInSteps, sliceUpdate } from './update-slices.ts';

/** How long one slice may hold the event loop, about; its size in structures adapts to it. */
const SLICE_TARGET_MS = 8;
const FIRST_SLICE_STRUCTS = 512;
const MAX_SLICE_STRUCTS = 65_536;
/** Copying and integrating long strings costs by the byte: 13 MB of notes in 512 structs took 45 ms. */
const MAX_SLICE_BYTES = 256 * 1024;
/** Reading an update's structs takes about 0.5 µs each: a pause every so many. */
const STRUCTS_READ_PER_STEP = 8_192;

/** Lets the rest of the event loop (other rooms, HTTP, timers) run before going on. */
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Yjs's own test for whether a transaction has anything to encode as an update. */
export function transactionChangedDoc(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/** What Yjs holds set aside in `doc` (structs and deletes waiting for what they build on), to compare with setAsideSince. */
export type SetAside = readonly [Uint8Array | null, Uint8Array | null];

export function setAside(doc: Y.Doc): SetAside {
  return [doc.store.pendingStructs?.update ?? null, doc.store.pendingDs];
}

/**
 * Whether Yjs set something aside since `before`. Compared by the bytes it holds: Yjs merges new
 * structs into the pendingStructs object it already has, so that object stays the same.
 */
export function setAsideSince(doc: Y.Doc, before: SetAside): boolean {
  const now = setAside(doc);
  return (now[0] !== before[0] || now[1] !== before[1]) && (now[0] !== null || now[1] !== null);
}

/**
 * Integrates `update` into `doc` in slices. Throws MalformedUpdate (nothing applied) when it is
 * malformed or holds more than `maxStructs` structures. Resolves with whether it must be stored
 * and relayed: it changed the doc, or Yjs set parts of it aside until what they build on arrives.
 */
export async function integrateInSlices(doc: Y.Doc, update: Uint8Array, maxStructs: number, origin: unknown): Promise<boolean> {
  const steps = readUpdateInSteps(update, maxStructs, STRUCTS_READ_PER_STEP);
  let step = steps.next();
  for (; !step.done; step = steps.next()) await nextMacrotask();
  const read = step.value;
  const before = setAside(doc);
  let changed = false;
  const onTransaction = (transaction: Y.Transaction) => {
    changed ||= transactionChangedDoc(transaction);
  };
  doc.on('afterTransaction', onTransaction);
  try {
    let size = FIRST_SLICE_STRUCTS;
    for (const slice of sliceUpdate(read, Y.decodeStateVector(Y.encodeStateVector(doc)), () => size, MAX_SLICE_BYTES)) {
      const started = performance.now();
      Y.applyUpdate(doc, slice, origin);
      const ms = performance.now() - started;
      size = ms > SLICE_TARGET_MS ? Math.max(1, size >> 1) : ms < SLICE_TARGET_MS / 4 ? Math.min(MAX_SLICE_STRUCTS, size * 2) : size;
      await nextMacrotask();
    }
  } finally {
    doc.off('afterTransaction', onTransaction);
  }
  return changed || setAsideSince(doc, before);
}
