/**
 * A room's queue of work, run in batches: whatever arrived while the previous batch ran is the
 * next batch, started through the process's NextTurn so the rest of this event-loop turn's
 * messages join it. A freshly loaded room may hold its first run back for a moment (the doc
 * build blocks the event loop; see Room.load).
 */
import type * as Y from 'yjs';
import type { PublishedRow } from '../fanout/fanout-message.ts';
import type { Refusal } from '../refusal.ts';
import type { Clock, Timer } from './clock.ts';
import type { NextTurn } from './next-turn.ts';
import type { Peer } from './peer.ts';

export type Work =
  /** Builds the doc from what the room loaded: the first work of every room. */
  | { kind: 'build'; run: () => void }
  /**
   * Shows the committed doc to someone (the state vector sent on join, a sync answer, an HTTP
   * read): runs only between batches, after the writes queued before it are committed.
   */
  | { kind: 'reveal'; run: () => void; fail?: (error: Refusal) => void }
  /** A peer's Yjs update. `integrated`: already applied in slices (see WriteBeforeRelay), and whether it must be kept. */
  | { kind: 'update'; update: Uint8Array; from: Peer; integrated?: boolean }
  /** A server-side change (an intent). */
  | { kind: 'change'; apply: (doc: Y.Doc) => unknown; done: PromiseWithResolvers<unknown>; evenWhenFull: boolean }
  /** Updates another process committed. */
  | { kind: 'remote'; rows: PublishedRow[] }
  /** Read from storage whatever other processes committed that this doc lacks. */
  | { kind: 'catchUp' };

export type Reveal = Extract<Work, { kind: 'build' | 'reveal' }>;

/** Work that only reads the committed state (the build reads what storage holds). */
export function readsCommitted(work: Work | undefined): work is Reveal {
  return work?.kind === 'build' || work?.kind === 'reveal';
}

/** Tells whoever waits for `work` that it was refused. */
export function refuseWork(work: Work, refusal: Refusal): void {
  if (work.kind === 'change') work.done.reject(refusal);
  else if (work.kind === 'reveal') work.fail?.(refusal);
}

/** What runs the batches (WriteBeforeRelay). */
export interface BatchRunner {
  /** Runs one batch; a throw is handed to `failed` with the batch. */
  process(batch: Work[]): Promise<void>;
  failed(error: unknown, batch: readonly Work[]): void;
  /** The room broke down: nothing queued runs any more. */
  stopped(): boolean;
}

export class WorkQueue {
  readonly #turn: NextTurn;
  readonly #clock: Clock;
  readonly #runner: BatchRunner;
  #queue: Work[] = [];
  #running = false;
  #drained = Promise.withResolvers<void>();
  /** Work waits until the room has loaded (messages from other processes may arrive before). */
  #ready = false;
  /** Set while a freshly loaded room holds back its first run (see begin). */
  #deferredStart: (() => void) | null = null;
  #holdTimer: Timer | null = null;

  constructor(turn: NextTurn, clock: Clock, runner: BatchRunner) {
    this.#turn = turn;
    this.#clock = clock;
    this.#runner = runner;
    this.#drained.resolve();
  }

  /** True when nothing is queued or being run. */
  get idle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  /** Nothing queued but reads of the committed state. */
  get onlyReads(): boolean {
    return this.#queue.every(readsCommitted);
  }

  /** Resolves when the queue is empty (everything accepted so far is committed). */
  drained(): Promise<void> {
    return this.#drained.promise;
  }

  /** `deferrable`: does not end a held-back first run (see begin). */
  push(work: Work, { deferrable = false } = {}): void {
    this.#queue.push(work);
    if (!deferrable) this.startHeld();
    if (!this.#running && this.#ready) this.#start();
  }

  /** The room has loaded: runs what is queued, or with `holdMs` only once non-deferrable work comes, startHeld is called, or `holdMs` passed. */
  begin(holdMs?: number): void {
    this.#ready = true;
    if (holdMs === undefined) {
      this.#start();
      return;
    }
    this.#running = true;
    this.#drained = Promise.withResolvers<void>();
    this.#holdTimer = this.#clock.setTimeout(() => this.startHeld(), holdMs);
    this.#deferredStart = () => this.#turn.run(() => void this.#run());
  }

  /** Starts the first run if it is held back, once. */
  startHeld(): void {
    this.stopHoldTimer();
    const start = this.#deferredStart;
    this.#deferredStart = null;
    start?.();
  }

  /** The first run waits for startHeld only (a fresh client's answer is on its way). */
  stopHoldTimer(): void {
    if (this.#holdTimer) this.#clock.clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
  }

  /** Empties the queue: what it held is the caller's to fail. */
  takeAll(): Work[] {
    return this.#queue.splice(0);
  }

  #start(): void {
    this.#running = true;
    this.#drained = Promise.withResolvers<void>();
    // Let the rest of this turn's messages join the batch.
    this.#turn.run(() => void this.#run());
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#runner.stopped()) {
        const batch = this.#queue.splice(0);
        try {
          await this.#runner.process(batch);
        } catch (error) {
          this.#runner.failed(error, batch);
        }
      }
    } finally {
      this.#running = false;
      this.#drained.resolve();
    }
  }
}
