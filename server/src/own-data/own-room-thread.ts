/**
 * A worker thread for one own-data export: the rooms' Y.Docs are built there, never on the event
 * loop that relays everyone's notes (a 16 MiB group room takes a good part of a second to read).
 * One room at a time, its bytes transferred, not copied; the heap is limited like an export
 * worker's (RANDNOTER_EXPORT_MAX_MEMORY_MB). The thread lives as long as the export.
 */
import { Worker } from 'node:worker_threads';
import { ownedRoom } from '../export/export-job.ts';
import type { OwnRoomJob, ReadOwnRoom } from './own-room.ts';

type Answer = { ok: true; json: string | null } | { ok: false; error: string };

export class OwnRoomThread {
  readonly #worker: Worker;
  #pending: PromiseWithResolvers<string | null> | null = null;
  #failure: Error | null = null;

  constructor(maxMemoryMb: number) {
    this.#worker = new Worker(new URL('./own-room-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    this.#worker.unref();
    this.#worker.on('message', (answer: Answer) => {
      const pending = this.#pending;
      this.#pending = null;
      if (answer.ok) pending?.resolve(answer.json);
      else pending?.reject(new Error(answer.error));
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      this.#pending?.reject(error);
      this.#pending = null;
    };
    this.#worker.on('error', (error: Error & { code?: string }) =>
      fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(`a room needs more than ${maxMemoryMb} MB to read`) : error),
    );
    this.#worker.on('exit', (code) => fail(new Error(`own-data worker exited (code ${code})`)));
  }

  /** Reads one room's part; one at a time. */
  read: ReadOwnRoom = (job: OwnRoomJob) => {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending) return Promise.reject(new Error('own-data worker is busy'));
    const room = ownedRoom(job.room);
    const buffers = [...(room.snapshot ? [room.snapshot] : []), ...room.updates].map((b) => b.buffer as ArrayBuffer);
    this.#pending = Promise.withResolvers<string | null>();
    const answer = this.#pending.promise;
    this.#worker.postMessage({ ...job, room }, buffers);
    return answer;
  };

  async destroy(): Promise<void> {
    this.#failure ??= new Error('own-data worker ended');
    await this.#worker.terminate();
  }
}
