/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Snapshots may be stored compressed (snapshot-codec.ts):
 * - `doc_snapshots.encoding`: how `data` holds the Yjs state: `yjs` (as is: every row before this
 *   migration) or `yjs-brotli`.
 * - `doc_snapshots.size`: the Yjs state's own size in bytes, which the document size cap and the
 *   storage quota count; null on rows from before, whose `data` is that state.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  await db.schema
    .alterTable('doc_snapshots')
    .addColumn('encoding', 'text', (c) => c.notNull().defaultTo('yjs'))
    .execute();
  await db.schema.alterTable('doc_snapshots').addColumn('size', 'integer').execute();
}
