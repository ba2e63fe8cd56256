/**
 * SQLite's WAL checkpoint, off the event loop. By default SQLite checkpoints inside the commit that
 * takes the WAL past 1,000 pages: that commit copies the pages into the database file and fsyncs
 * it, which stalled the server (every relay of every room) for 10-15 ms about every 10 s under a
 * steady load. Here a worker thread with its own connection checkpoints every `everyMs`, and the
 * server's connection no longer checkpoints by itself. Should the worker fail, the server's
 * connection takes checkpoints back, so the WAL never grows without bound.
 *
 * Not more often than every few seconds: after each complete checkpoint the next commit starts
 * the WAL over and fsyncs its new header, on the server's thread (0.5-3 ms here). Checkpointing
 * every second made that the most common stall of a relay.
 */
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { CheckpointWorkerData } from './wal-checkpoint-worker.ts';

/** SQLite's own default, restored when the worker fails. */
const AUTOCHECKPOINT_PAGES = 1_000;
/** How long closing waits for the worker to close its connection. */
const STOP_WAIT_MS = 5_000;

export interface WalCheckpointer {
  /** Stops the worker; the caller's connection checkpoints on close as usual. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(
  sqlite: SQLite.Database,
  file: string,
  { everyMs = 10_000, onFailure }: { everyMs?: number; onFailure: (error: Error) => void },
): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const workerData: CheckpointWorkerData = { file, everyMs };
  const worker = new Worker(new URL('./wal-checkpoint-worker.ts', import.meta.url), { workerData });
  worker.unref();
  let stopping = false;
  let failed = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const takeBack = (error: Error) => {
    if (stopping || failed || !sqlite.open) return;
    failed = true;
    sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    onFailure(error);
  };
  worker.on('error', takeBack);
  worker.once('exit', (code) => takeBack(new Error(`WAL checkpoint worker exited (code ${code})`)));
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}
