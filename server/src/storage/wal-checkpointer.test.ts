import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

const dirs: string[] = [];
const opened: SQLite.Database[] = [];
const checkpointers: WalCheckpointer[] = [];

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
function writeLog(sqlite: SQLite.Database, rows = 500): void {
  const insert = sqlite.prepare('insert into log (data) values (?)');
  for (let i = 0; i < rows; i++) insert.run(new Uint8Array(4096).fill(i % 251));
}

afterEach(async () => {
  vi.useRealTimers();
  for (const checkpointer of checkpointers.splice(0)) await checkpointer.stop();
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

  // The worker is a second V8 isolate (11 MiB of a 86 MiB idle server): it ran from the start of
  // every server, written to or not (docs/PERFORMANCE.md, twelfth round).
  it('starts no thread until something is written, and ends it once nothing has been for a while', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { sqlite, file } = walDatabase();
    const onFailure = vi.fn();
    const checkpointer = startWalCheckpointer(sqlite, file, { everyMs: 100, idleMs: 300, onFailure });
    checkpointers.push(checkpointer);
    vi.advanceTimersByTime(1_000);
    expect(checkpointer.running).toBe(false);

    const before = statSync(file).size;
    writeLog(sqlite, 100);
    vi.advanceTimersByTime(100);
    expect(checkpointer.running).toBe(true);
    await vi.waitFor(() => expect(statSync(file).size - before).toBeGreaterThan(400_000), { timeout: 10_000, interval: 20 });

    // Its checkpoint does not count as a write: three quiet looks end the thread.
    vi.advanceTimersByTime(300);
    await vi.waitFor(() => expect(checkpointer.running).toBe(false), { timeout: 10_000, interval: 20 });

    // A later write starts a new one, which checkpoints too.
    const again = statSync(file).size;
    writeLog(sqlite, 100);
    vi.advanceTimersByTime(100);
    expect(checkpointer.running).toBe(true);
    await vi.waitFor(() => expect(statSync(file).size - again).toBeGreaterThan(400_000), { timeout: 10_000, interval: 20 });
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('gives checkpoints back to the connection and reports it when the worker cannot run', async () => {
    const { sqlite, file } = walDatabase();
    writeLog(sqlite, 1);
    // A database path that is missing, with the real database's WAL beside it: the worker starts
    // at the next write and fails to open its file.
    const missing = join(dirname(file), 'missing.sqlite');
    symlinkSync(`${file}-wal`, `${missing}-wal`);
    const onFailure = vi.fn();
    checkpointers.push(startWalCheckpointer(sqlite, missing, { everyMs: 20, onFailure }));
    writeLog(sqlite, 1);
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1), { timeout: 10_000, interval: 20 });
    expect(String(onFailure.mock.calls[0]?.[0])).toMatch(/unable to open/);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    const before = statSync(file).size;
    writeLog(sqlite);
    expect(statSync(file).size - before).toBeGreaterThan(1_000_000);
  });
});
