/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * `doc_heads` (PostgreSQL only): the highest seq given out per room. Several server processes may
 * write one room there, so its seqs are handed out by this row, which every write locks first
 * (see room-heads.ts). SQLite has one server process and counts seqs in memory.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await db.schema
    .createTable('doc_heads')
    .addColumn('room', sql`text collate "C"`, (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into doc_heads (room, seq)
    select room, max(seq) from (select room, seq from doc_updates union all select room, seq from doc_snapshots) as known
    group by room`.execute(db);
}
