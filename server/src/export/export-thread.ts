/**
 * One export worker thread and its limits. V8 ends the thread when its heap passes the memory
 * limit (the thread emits ERR_WORKER_OUT_OF_MEMORY; the server's own heap is untouched), and a job
 * or a start that passes the time limit ends it too. A thread that failed or was ended is not used
 * again.
 */
import { Worker } from 'node:worker_threads';
import { type ExportJob, jobBuffers, type WorkerMessage } from './export-job.ts';
import { ExportRefused, RefusalReason } from './export-refused.ts';

export interface ThreadLimits {
  /** V8 old generation of the thread, in MB. */
  maxMemoryMb: number;
  /** For starting the thread, and again for each job. */
  timeoutMs: number;
}

export interface ExportOutput {
  bytes: Uint8Array;
  mediaType: string;
  extension: string;
}

type Answer = Exclude<WorkerMessage, { type: 'ready' }>;

/** The young generation: a sixteenth of the limit, at most 16 MB (32 MB only grew the process's RSS, by about 40 MB, not the speed). */
const youngGenerationMb = (maxMemoryMb: number) => Math.max(2, Math.min(16, Math.floor(maxMemoryMb / 16)));

const failed = (cause: unknown) => new ExportRefused(RefusalReason.failed, 500, 'the export failed', null, cause);

export class ExportThread {
  readonly #worker: Worker;
  readonly #limits: ThreadLimits;
  #pending: PromiseWithResolvers<WorkerMessage> | null = null;
  #dead = false;

  private constructor(url: URL, limits: ThreadLimits) {
    this.#limits = limits;
    this.#worker = new Worker(url, {
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: youngGenerationMb(limits.maxMemoryMb) },
    });
    // A warm, idle thread must not keep a process alive.
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => this.#pending?.resolve(message));
    this.#worker.on('error', (error: Error & { code?: string }) => {
      const message = `this export needs more memory than the server allows one export (${limits.maxMemoryMb} MB): export fewer groups, or ask the administrator to raise the limit`;
      this.#die(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ExportRefused(RefusalReason.memory, 503, message, null, error) : failed(error),
      );
    });
    this.#worker.on('exit', (code) => this.#die(failed(`export worker exited (code ${code})`)));
  }

  /** A thread with the renderers loaded, ready for a job. */
  static async start(url: URL, limits: ThreadLimits): Promise<ExportThread> {
    const thread = new ExportThread(url, limits);
    const message = await thread.#next();
    if (message.type !== 'ready') throw failed(`export worker started with ${message.type}`);
    return thread;
  }

  get alive(): boolean {
    return !this.#dead;
  }

  /**
   * Renders one job. The job's room buffers are transferred: the caller must not use them after.
   * `signal`: the client went away; the thread is ended rather than finish a file nobody takes.
   */
  async run(job: ExportJob, signal?: AbortSignal): Promise<ExportOutput> {
    if (this.#dead || this.#pending) throw failed('export worker not free');
    signal?.throwIfAborted();
    const answer = this.#next();
    const abandon = () => {
      this.#die(signal?.reason);
      void this.#worker.terminate();
    };
    signal?.addEventListener('abort', abandon, { once: true });
    try {
      this.#worker.postMessage(job, jobBuffers(job));
      return outputOf((await answer) as Answer, job.maxBytes);
    } finally {
      signal?.removeEventListener('abort', abandon);
    }
  }

  /** Ends the thread (a job it is rendering fails). */
  async terminate(): Promise<void> {
    this.#die(failed('export worker ended'));
    await this.#worker.terminate();
  }

  /** The thread's next message, within the time limit; past it the thread is ended. */
  async #next(): Promise<WorkerMessage> {
    if (this.#dead) throw failed('export worker ended');
    const pending = Promise.withResolvers<WorkerMessage>();
    this.#pending = pending;
    const timer = setTimeout(() => {
      const seconds = Math.round(this.#limits.timeoutMs / 1000);
      const message = `this export took longer than the server allows one export (${seconds} s) and was stopped: export fewer groups, or a text format (md, csv)`;
      this.#die(new ExportRefused(RefusalReason.timeout, 504, message));
      void this.#worker.terminate();
    }, this.#limits.timeoutMs);
    try {
      return await pending.promise;
    } finally {
      clearTimeout(timer);
      this.#pending = null;
    }
  }

  /** Marks the thread dead; a start or job waiting on it fails with `reason` (the first one wins). */
  #die(reason: unknown): void {
    this.#dead = true;
    this.#pending?.reject(reason);
  }
}

const sizeOf = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function outputOf(answer: Answer, maxBytes: number): ExportOutput {
  if (answer.type === 'failed') throw answer.forUser ? new ExportRefused(RefusalReason.failed, 500, answer.error) : failed(answer.error);
  const size = answer.type === 'too-large' ? answer.size : answer.bytes.byteLength;
  // The worker checks the size; checked again here, where the bytes would be held.
  if (answer.type === 'too-large' || size > maxBytes) {
    throw new ExportRefused(
      RefusalReason.tooLarge,
      503,
      `this export would be ${sizeOf(size)}, more than the server hands out (${sizeOf(maxBytes)}): export fewer groups, or ask the administrator to raise the limit`,
    );
  }
  return { bytes: answer.bytes, mediaType: answer.mediaType, extension: answer.extension };
}
