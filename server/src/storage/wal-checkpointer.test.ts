import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWalCheckpointer } from './wal-checkpointer.ts';

const dirs: string[] = [];
const opened: SQLite.Database[] = [];

function walDatabase(): { sqlite: SQLite.Database; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-wal-'));
  dirs.push(dir);
  const file = join(dir, 'docs.sqlite');
  const sqlite = new SQLite(file);
  opened.push(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table log (data blob)');
  return { sqlite, file };
}

/** About 2 MiB in 500 transactions, as a server's commits would come. */
function writeLog(sqlite: SQLite.Database): void {
  const insert = sqlite.prepare('insert into log (data) values (?)');
  for (let i = 0; i < 500; i++) insert.run(new Uint8Array(4096).fill(i % 251));
}

afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints in a worker thread', () => {
  it("copies the log into the database file while the server's connection never checkpoints", async () => {
    const { sqlite, file } = walDatabase();
    const onFailure = vi.fn();
    const checkpointer = startWalCheckpointer(sqlite, file, { everyMs: 20, onFailure });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(file).size;
    writeLog(sqlite);
    // Only the worker can have moved the pages: this connection's automatic checkpoints are off.
    await vi.waitFor(() => expect(statSync(file).size - before).toBeGreaterThan(2_000_000), { timeout: 10_000, interval: 20 });
    await checkpointer.stop();
    expect(onFailure).not.toHaveBeenCalled();
    sqlite.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // the last connection checkpointed and removed it
  });

  it('gives checkpoints back to the connection and reports it when the worker cannot run', async () => {
    const { sqlite, file } = walDatabase();
    const onFailure = vi.fn();
    startWalCheckpointer(sqlite, `${file}.missing`, { everyMs: 20, onFailure });
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1), { timeout: 10_000, interval: 20 });
    expect(String(onFailure.mock.calls[0]?.[0])).toMatch(/unable to open/);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    const before = statSync(file).size;
    writeLog(sqlite);
    expect(statSync(file).size - before).toBeGreaterThan(1_000_000);
  });
});
