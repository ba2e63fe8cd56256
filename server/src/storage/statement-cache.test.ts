import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.ts';

interface Table {
  things: { id: number; name: string };
}

const open: SQLite.Database[] = [];

/** An in-memory database whose `prepare` calls are counted per SQL text. */
function counted(): { sqlite: SQLite.Database; prepared: Map<string, number> } {
  const sqlite = new SQLite(':memory:');
  open.push(sqlite);
  sqlite.exec("create table things (id integer primary key, name text); insert into things values (1, 'one'), (2, 'two'), (3, 'three')");
  const prepared = new Map<string, number>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((sql: string) => {
    prepared.set(sql, (prepared.get(sql) ?? 0) + 1);
    return prepare(sql);
  }) as typeof sqlite.prepare;
  return { sqlite, prepared };
}

afterEach(() => {
  for (const sqlite of open.splice(0)) if (sqlite.open) sqlite.close();
});

describe('reusing prepared statements under kysely', () => {
  it('prepares a query once and runs it with each call’s own parameters', async () => {
    const { sqlite, prepared } = counted();
    const db = new Kysely<Table>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
    const name = async (id: number) => (await db.selectFrom('things').select('name').where('id', '=', id).executeTakeFirst())?.name;
    expect([await name(1), await name(2), await name(3), await name(4)]).toEqual(['one', 'two', 'three', undefined]);
    await db.updateTable('things').set({ name: 'uno' }).where('id', '=', 1).execute();
    expect(await name(1)).toBe('uno');
    expect(prepared.get('select "name" from "things" where "id" = ?')).toBe(1);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const { sqlite, prepared } = counted();
    const database = cachingStatements(sqlite, 2);
    const a = 'select 1';
    const b = 'select 2';
    const c = 'select 3';
    database.prepare(a);
    database.prepare(b);
    database.prepare(a); // a is now more recent than b
    database.prepare(c); // drops b
    database.prepare(a);
    database.prepare(b); // prepared again, drops c
    database.prepare(c);
    expect(Object.fromEntries(prepared)).toEqual({ [a]: 1, [b]: 2, [c]: 2 });
  });
});
