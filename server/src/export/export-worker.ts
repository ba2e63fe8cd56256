/**
 * An export worker thread: renders one export at a time from plain data (export-job.ts) and
 * hands the file back, its buffer transferred. The renderers load when the thread starts, before
 * it says `ready`, so a job's time limit measures the export and not the loading of pdf-lib.
 * Whatever a job costs in time and memory, the server's event loop does not wait for it; the
 * server ends the thread when it takes too long, and V8 ends it when its heap is full.
 */
import { parentPort } from 'node:worker_threads';
import { chooseAgenda } from '@randnoter/shared/agenda/choose-outline';
import { ExportError, exportPacket, FORMATS } from '@randnoter/shared/export/export-packet';
import { readExportFonts } from '../pdf/export-fonts.ts';
import type { ExportJob, WorkerMessage } from './export-job.ts';
import { type RoomContent, readStoredRoom } from './read-stored-room.ts';

const port = parentPort;
if (!port) throw new Error('export-worker.ts runs as a worker thread');
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/**
 * The agenda the export groups by, with the viewer's precedence: the caller's own correction, then
 * the first exported group's (by id) that has one, then the caller's registered detection.
 */
function agendaOf(job: ExportJob, notes: RoomContent, groups: ReadonlyArray<{ groupId: string; content: RoomContent }>) {
  const chosen = chooseAgenda({
    version: job.packetVersion,
    pages: job.pageCount,
    detected: job.outline ?? undefined,
    own: notes.correction,
    groups: groups.map((g) => ({ groupId: g.groupId, correction: g.content.correction })),
  });
  return chosen.source.kind === 'detected' ? job.outline : chosen.outline;
}

async function render(job: ExportJob): Promise<void> {
  const notes = readStoredRoom(job.notes);
  const groups = job.shared.map(({ group, room }) => ({ group, groupId: group.id, content: readStoredRoom(room) }));
  const shared = groups.flatMap(({ group, content }) => content.annotations.map((a) => ({ ...a, group })));
  const closed = job.closed.flatMap(({ group, room }) => readStoredRoom(room).annotations.map((a) => ({ ...a, group })));
  const outline = agendaOf(job, notes, groups);
  const result = await exportPacket({
    format: job.format,
    title: job.title,
    notes: notes.annotations,
    shared,
    closed,
    ...(outline ? { outline } : {}),
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
