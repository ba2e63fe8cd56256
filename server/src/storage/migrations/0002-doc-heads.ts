/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * `doc_heads`: the highest seq given out per room. Seqs are allocated here, in the database, so
 * several server processes writing one room never collide, and every write to a room's log or
 * snapshot first locks the room's head row, so a room's seqs commit in order.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('doc_heads')
    .addColumn('room', pg ? sql`text collate "C"` : 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into doc_heads (room, seq)
    select room, max(seq) from (select room, seq from doc_updates union all select room, seq from doc_snapshots) as known
    group by room`.execute(db);
}
