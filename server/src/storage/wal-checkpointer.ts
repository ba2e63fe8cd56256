/**
 * SQLite's WAL checkpoint, off the event loop. By default SQLite checkpoints inside the commit that
 * takes the WAL past 1,000 pages: that commit copies the pages into the database file and fsyncs
 * it, which stalled the server (every relay of every room) for 10-15 ms about every 10 s under a
 * steady load. Here a worker thread with its own connection checkpoints, and the server's
 * connection no longer checkpoints by itself. Should the worker fail, the server's connection
 * takes checkpoints back, so the WAL never grows without bound.
 *
 * The worker is a second V8 isolate (about 11 MiB of RSS), so it runs only while there is
 * something to checkpoint: every `everyMs` the server looks at the WAL file (one stat); when it
 * was written since the last look, the worker is started if needed and asked for a checkpoint.
 * After `idleMs` without a write the worker ends. A server nobody writes to has none, and a
 * checkpoint leaves the WAL file as it was, so an idle server's worker does end.
 *
 * Not more often than every few seconds: after each complete checkpoint the next commit starts
 * the WAL over and fsyncs its new header, on the server's thread (0.5-3 ms here). Checkpointing
 * every second made that the most common stall of a relay.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { CheckpointWorkerData, CheckpointWorkerMessage } from './wal-checkpoint-worker.ts';

/** SQLite's own default, restored when the worker fails. */
const AUTOCHECKPOINT_PAGES = 1_000;
/** How long closing waits for the worker to close its connection. */
const STOP_WAIT_MS = 5_000;

export interface WalCheckpointerOptions {
  everyMs?: number;
  /** The worker ends after this long without a write to the WAL. */
  idleMs?: number;
  onFailure: (error: Error) => void;
}

export interface WalCheckpointer {
  /** Whether the worker thread is alive (started, not yet ended). */
  readonly running: boolean;
  /** Stops the timer and the worker; the caller's connection checkpoints on close as usual. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(
  sqlite: SQLite.Database,
  file: string,
  { everyMs = 10_000, idleMs = 60_000, onFailure }: WalCheckpointerOptions,
): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const idleTicks = Math.max(1, Math.ceil(idleMs / everyMs));
  let worker: CheckpointWorker | null = null;
  let ending: Promise<void> | null = null;
  let lastSeen = walState(file);
  let quietTicks = 0;
  let stopped = false;
  let failed = false;

  const takeBack = (error: Error) => {
    if (stopped || failed || !sqlite.open) return;
    failed = true;
    worker = null;
    clearInterval(timer);
    sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    onFailure(error);
  };
  const end = () => {
    const ended = worker;
    worker = null;
    if (!ended) return Promise.resolve();
    ending = ended.end().finally(() => {
      ending = null;
    });
    return ending;
  };
  const tick = () => {
    if (failed || ending) return; // a write seen meanwhile is still new at the next tick
    const now = walState(file);
    if (now === lastSeen) {
      if (worker && ++quietTicks >= idleTicks) void end();
      return;
    }
    lastSeen = now;
    quietTicks = 0;
    worker ??= new CheckpointWorker({ file }, takeBack);
    worker.checkpoint();
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();

  return {
    get running() {
      return worker !== null || ending !== null;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ending;
      await end();
    },
  };
}

/** What a look at the WAL file tells: its size and when it was last written (absent: ''). */
function walState(file: string): string {
  const stat = statSync(`${file}-wal`, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeNs}` : '';
}

/** One worker thread and its connection (wal-checkpoint-worker.ts). */
class CheckpointWorker {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #ending = false;

  constructor(workerData: CheckpointWorkerData, onFailure: (error: Error) => void) {
    this.#worker = new Worker(new URL('./wal-checkpoint-worker.ts', import.meta.url), { workerData });
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    const failed = (error: Error) => {
      if (!this.#ending) onFailure(error);
    };
    this.#worker.on('error', failed);
    this.#worker.once('exit', (code) => failed(new Error(`WAL checkpoint worker exited (code ${code})`)));
  }

  checkpoint(): void {
    this.#send('checkpoint');
  }

  /** Closes the worker's connection and lets the thread end (terminated if it does not). */
  async end(): Promise<void> {
    this.#ending = true;
    this.#send('stop');
    const timeout = setTimeout(() => void this.#worker.terminate(), STOP_WAIT_MS);
    await this.#exited;
    clearTimeout(timeout);
  }

  #send(message: CheckpointWorkerMessage): void {
    this.#worker.postMessage(message);
  }
}
