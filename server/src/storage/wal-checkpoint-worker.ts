/**
 * The worker thread of wal-checkpointer.ts: its own connection to the database file, checkpointing
 * the WAL now and then. PASSIVE copies what no reader still needs and never blocks the writer.
 * A "stop" message closes the connection and lets the thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

export interface CheckpointWorkerData {
  file: string;
  everyMs: number;
}

const { file, everyMs } = workerData as CheckpointWorkerData;
const sqlite = new SQLite(file, { fileMustExist: true });
const checkpoint = sqlite.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.get(), everyMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  sqlite.close();
  parentPort?.close();
});
