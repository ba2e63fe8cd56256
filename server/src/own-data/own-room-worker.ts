/**
 * The worker thread of an own-data export (own-room-thread.ts): builds each room's Y.Doc and its
 * part of the file off the server's event loop, one room at a time.
 */
import { parentPort } from 'node:worker_threads';
import { type OwnRoomJob, ownRoomJson } from './own-room.ts';

const port = parentPort;
if (!port) throw new Error('own-room-worker.ts runs as a worker thread');
port.on('message', (job: OwnRoomJob) => {
  try {
    port.postMessage({ ok: true, json: ownRoomJson(job) });
  } catch (error) {
    port.postMessage({ ok: false, error: String(error) });
  }
});
