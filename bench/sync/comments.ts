/**
 * Comments as the annotation schema has them (an entry of the `annotations` Y.Map, see
 * DESIGN.md), and pre-generated streams of them: the load generator sends ready-made update
 * bytes, so its own Yjs work does not compete with the server for the CPU while timing.
 */
import * as Y from 'yjs';

export const ANNOTATIONS = 'annotations';

export function addComment(doc: Y.Doc, id: string, author: string, page: number): void {
  const now = new Date().toISOString();
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    doc.getMap(ANNOTATIONS).set(id, entry);
    entry.set('id', id);
    entry.set('kind', 'note');
    entry.set('author', { id: author, name: author });
    entry.set('created', now);
    entry.set('modified', now);
    entry.set('body', `Benchmark comment ${id}: what does this paragraph mean for the budget?`);
    entry.set('target', {
      page,
      selectors: [{ type: 'TextQuoteSelector', exact: 'the budget for 2026', prefix: 'Punkt 3: ', suffix: ' is approved' }],
    });
    entry.set('deleted', false);
  });
}

export interface CommentStream {
  /** Comment ids, in the order of `updates`. */
  ids: string[];
  /** One v1 update per comment; each builds on the ones before it. */
  updates: Uint8Array[];
}

/** `count` comments by one writer, one update each. */
export function commentStream(prefix: string, count: number): CommentStream {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const ids: string[] = [];
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    // Same width for every id, so no id is a prefix of another (propagation finds them by bytes).
    const id = `${prefix}-${String(i).padStart(width, '0')}`;
    ids.push(id);
    addComment(doc, id, prefix, 1 + (i % 40));
  }
  doc.destroy();
  return { ids, updates };
}

/**
 * Finds one writer's comments in relayed frames by their ids' bytes: they arrive in the order
 * written, one or more per frame (a server may merge several into one update, as Hocuspocus
 * does). Far cheaper for the load generator than applying every update with Yjs, which would put
 * the client's CPU time into a measurement of the server.
 */
export class ArrivalCounter {
  readonly #ids: Buffer[];
  /** How many of the stream's comments have arrived (the index of the next one expected). */
  arrived = 0;

  constructor(ids: readonly string[]) {
    this.#ids = ids.map((id) => Buffer.from(id));
  }

  get complete(): boolean {
    return this.arrived === this.#ids.length;
  }

  /**
   * Counts the comments this frame carries; returns how many it added. Within an update one
   * writer's structs are in clock order, so each id is looked for after the one before it (a
   * merged frame of a thousand comments is read once, not once per comment).
   */
  take(payload: Uint8Array): number {
    const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const before = this.arrived;
    let at = 0;
    while (this.arrived < this.#ids.length) {
      const id = this.#ids[this.arrived] as Buffer;
      const found = bytes.indexOf(id, at);
      if (found < 0) break;
      at = found + id.byteLength;
      this.arrived++;
    }
    return this.arrived - before;
  }
}

/** The state of a room holding `count` comments, as one update. */
export function roomState(count: number): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < count; i++) addComment(doc, `loaded-${i}`, 'loader', 1 + (i % 40));
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
