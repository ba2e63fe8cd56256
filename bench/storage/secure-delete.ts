/**
 * What erasing costs on SQLite (docs/OPERATIONS.md, "Erasure"): `secure_delete` makes every
 * delete overwrite the freed bytes with zeros, so compaction (which deletes a room's folded log)
 * writes more; an erasure then releases free pages and empties the WAL. Prints the time of the
 * same work with `secure_delete` off and on, through the server's own DocStore:
 *
 *   node bench/storage/secure-delete.ts [--rooms 200] [--updates 500]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '@randnoter/server/storage/database';
import { migrateToLatest } from '@randnoter/server/storage/migrate';
import type { Kysely } from 'kysely';
import * as Y from 'yjs';

const { values } = parseArgs({ options: { rooms: { type: 'string' }, updates: { type: 'string' } } });
const ROOMS = Number(values.rooms ?? 200);
const UPDATES = Number(values.updates ?? 500);

/** One comment's update, about the size the extension writes. */
function commentUpdate(i: number): Uint8Array {
  const doc = new Y.Doc();
  const entry = new Y.Map<unknown>();
  doc.getMap('annotations').set(`c${i}`, entry);
  entry.set('body', `Kommentar ${i}: hvad betyder dette afsnit for budgettet i 2026, og hvem har ansvaret? `.repeat(3));
  entry.set('target', {
    page: 1 + (i % 300),
    selectors: [{ type: 'TextQuoteSelector', exact: 'budgettet for 2026', prefix: '', suffix: '' }],
  });
  return Y.encodeStateAsUpdate(doc);
}

async function run(secureDelete: boolean): Promise<{ appendMs: number; compactMs: number; purgeMs: number; walEmptied: boolean }> {
  const file = join(mkdtempSync(join(tmpdir(), 'randnoter-bench-')), 'bench.sqlite');
  const { db, docs, purgeDeleted, close } = openSqlite(file);
  await migrateToLatest(db as Kysely<unknown>);
  // openSqlite turns it on; the comparison turns it off again on the same connection.
  if (!secureDelete) await import('kysely').then(({ sql }) => sql`pragma secure_delete = off`.execute(db));
  const updates = Array.from({ length: UPDATES }, (_, i) => commentUpdate(i));
  let started = performance.now();
  for (let r = 0; r < ROOMS; r++) await docs.append(updates.map((data) => ({ room: `shared/g/p${r}`, data })));
  const appendMs = performance.now() - started;
  // The same snapshot for every room, made before timing: only the storage's work is timed.
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  const snapshot = Y.encodeStateAsUpdate(doc);
  started = performance.now();
  for (let r = 0; r < ROOMS; r++) await docs.compact(`shared/g/p${r}`, snapshot, UPDATES);
  const compactMs = performance.now() - started;
  const purge = await purgeDeleted();
  await close();
  return { appendMs, compactMs, purgeMs: purge?.ms ?? 0, walEmptied: purge?.walEmptied ?? false };
}

for (const secureDelete of [false, true, false, true, false, true]) {
  const r = await run(secureDelete);
  process.stdout.write(
    `secure_delete ${secureDelete ? 'on ' : 'off'}: append ${ROOMS}x${UPDATES} ${r.appendMs.toFixed(0)} ms, compact ${r.compactMs.toFixed(0)} ms, purge ${r.purgeMs} ms (WAL emptied: ${r.walEmptied})\n`,
  );
}
