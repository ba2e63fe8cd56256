/**
 * An export worker thread: renders one export at a time from plain data (export-job.ts) and
 * hands the file back, its buffer transferred. The renderers load when the thread starts, before
 * it says `ready`, so a job's time limit measures the export and not the loading of pdf-lib.
 * Whatever a job costs in time and memory, the server's event loop does not wait for it; the
 * server ends the thread when it takes too long, and V8 ends it when its heap is full.
 */
import { parentPort } from 'node:worker_threads';
import { ExportError, exportPacket, FORMATS } from '@randnoter/shared/export/export-packet';
import { readExportFonts } from '../pdf/export-fonts.ts';
import type { ExportJob, WorkerMessage } from './export-job.ts';
import { liveAnnotationsOf } from './read-stored-room.ts';

const port = parentPort;
if (!port) throw new Error('export-worker.ts runs as a worker thread');
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function render(job: ExportJob): Promise<void> {
  const shared = job.shared.flatMap(({ group, room }) => liveAnnotationsOf(room).map((a) => ({ ...a, group })));
  const result = await exportPacket({
    format: job.format,
    title: job.title,
    notes: liveAnnotationsOf(job.notes),
    shared,
    ...(job.outline ? { outline: job.outline } : {}),
    ...(FORMATS[job.format].needsFonts ? { fonts: await readExportFonts() } : {}),
    source: job.source,
    ...(job.packetVersion ? { packetVersion: job.packetVersion } : {}),
    collectionId: job.collectionId,
    language: job.language,
    includeEmptyItems: job.includeEmptyItems,
    now: new Date(job.now),
  });
  if (result.bytes.byteLength > job.maxBytes) return send({ type: 'too-large', size: result.bytes.byteLength });
  // A view on part of a bigger buffer would transfer all of it: send exactly the file.
  const whole = result.bytes.byteLength === result.bytes.buffer.byteLength;
  const bytes = whole ? result.bytes : result.bytes.slice();
  send({ type: 'done', bytes, mediaType: result.mediaType, extension: result.extension }, [bytes.buffer as ArrayBuffer]);
}

port.on('message', (job: ExportJob) => {
  render(job).catch((error: unknown) => {
    send({ type: 'failed', error: String(error), forUser: error instanceof ExportError });
  });
});
send({ type: 'ready' });
