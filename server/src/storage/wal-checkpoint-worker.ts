/**
 * The worker thread of wal-checkpointer.ts: its own connection to the database file, checkpointing
 * the WAL when asked. PASSIVE copies what no reader still needs and never blocks the writer.
 * "stop" closes the connection and lets the thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

export interface CheckpointWorkerData {
  file: string;
}

export type CheckpointWorkerMessage = 'checkpoint' | 'stop';

const { file } = workerData as CheckpointWorkerData;
const sqlite = new SQLite(file, { fileMustExist: true });
const checkpoint = sqlite.prepare('pragma wal_checkpoint(PASSIVE)');

parentPort?.on('message', (message: CheckpointWorkerMessage) => {
  if (message === 'checkpoint') {
    checkpoint.get();
    return;
  }
  if (message !== 'stop') throw new Error(`unknown message ${String(message)}`);
  sqlite.close();
  parentPort?.close();
});
