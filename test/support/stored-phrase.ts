/**
 * Where a phrase is stored, looked for the hard way: in a SQLite file's raw bytes (its free pages
 * and WAL included), and in every row of every table read through SQL, compressed snapshots
 * decompressed, on either backend. An erasure test asks this before (it must be found, or the
 * test could not fail) and after (it must be found nowhere).
 */
import { existsSync, readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { sql } from 'kysely';
import { openTestDatabase, testBackend } from './test-database.ts';

const bytesOf = (phrase: string) => Buffer.from(phrase, 'utf8');

/** The files that hold `location`'s bytes (SQLite: the file and its WAL) in which `phrase` occurs. */
export function filesHolding(files: readonly string[], phrase: string): string[] {
  return files.filter((file) => existsSync(file) && readFileSync(file).includes(bytesOf(phrase)));
}

/** `table.column` (with the room for documents) of every stored value that holds `phrase`, read through SQL. */
export async function rowsHolding(location: string, phrase: string): Promise<string[]> {
  const database = openTestDatabase(location);
  const found: string[] = [];
  const needle = bytesOf(phrase);
  try {
    const { db } = database;
    const tables =
      testBackend === 'postgres'
        ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db))
            .rows
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows;
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          let bytes: Buffer | null = null;
          if (value instanceof Uint8Array) {
            bytes = Buffer.from(value);
            if (row.encoding === 'yjs-brotli' && column === 'data') bytes = brotliDecompressSync(bytes);
          } else if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
          if (bytes?.includes(needle)) found.push(`${name}.${column}${typeof row.room === 'string' ? ` (${row.room})` : ''}`);
        }
      }
    }
  } finally {
    await database.close();
  }
  return found;
}
