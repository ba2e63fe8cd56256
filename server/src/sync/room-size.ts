/**
 * What a room stores, counted: its bytes (snapshot + log, what the size cap weighs), the part of
 * them that is the snapshot, and how many updates the log holds after it. Every change of these
 * counts goes through here, and so does the user's storage account of a notes room.
 */
import type { StoredDoc } from '../storage/doc-store.ts';
import type { StorageAccount } from './storage-account.ts';

export class RoomSize {
  #bytes: number;
  /** Bytes of the stored snapshot (the rest of #bytes is the log after it). */
  #snapshotBytes: number;
  /** Updates in the log after the snapshot. */
  #sinceSnapshot: number;
  readonly #maxDocBytes: number;
  /** A notes room's user's storage across their rooms (their own quota); null for shared rooms. */
  readonly #account: StorageAccount | null;

  /** Counted from the room as loaded. */
  constructor(loaded: StoredDoc, maxDocBytes: number, account: StorageAccount | null) {
    this.#bytes = loaded.bytes;
    this.#snapshotBytes = loaded.snapshot?.byteLength ?? 0;
    this.#sinceSnapshot = loaded.updates.length;
    this.#maxDocBytes = maxDocBytes;
    this.#account = account;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get sinceSnapshot(): number {
    return this.#sinceSnapshot;
  }

  /** The stored size this room may reach: its own cap, or less when its user's quota is nearly spent. */
  cap(): number {
    return this.#account ? Math.min(this.#maxDocBytes, this.#bytes + Math.max(0, this.#account.left)) : this.#maxDocBytes;
  }

  capReason(): string {
    return this.cap() < this.#maxDocBytes
      ? 'storage quota reached: your notes take all the space you have on this server'
      : 'document size cap reached: further writes are refused';
  }

  /** The log grew by one update of `bytes` (ours, or one another process committed). */
  logged(bytes: number): void {
    this.#add(bytes);
    this.#sinceSnapshot++;
  }

  /** Read from storage what was committed after the doc's seq (a snapshot replaces the log before it). */
  read(stored: StoredDoc): void {
    if (stored.snapshot) {
      this.#add(stored.bytes - this.#bytes);
      this.#sinceSnapshot = stored.updates.length;
      this.#snapshotBytes = stored.snapshot.byteLength;
    } else {
      this.#add(stored.bytes);
      this.#sinceSnapshot += stored.updates.length;
    }
  }

  /**
   * A snapshot of `snapshotBytes` now holds the first `folded` updates of the log, and the room's
   * bytes were `bytesBefore` when it was taken. Updates appended meanwhile stay in the log.
   */
  compacted(snapshotBytes: number, folded: number, bytesBefore: number): void {
    this.#sinceSnapshot -= folded;
    this.#add(snapshotBytes - bytesBefore);
    this.#snapshotBytes = snapshotBytes;
  }

  /**
   * Encoding the snapshot costs as much as the document is big: waiting until the log is as big
   * keeps that cost proportional to what was written, and a load reads at most twice the document.
   */
  compactionDue(afterUpdates: number): boolean {
    return this.#sinceSnapshot >= afterUpdates && this.#bytes - this.#snapshotBytes >= this.#snapshotBytes;
  }

  /** Near the cap, with a log whose deletes might free space once folded. */
  nearCap(): boolean {
    return this.#bytes >= this.cap() * 0.9 && this.#sinceSnapshot > 0;
  }

  #add(delta: number): void {
    this.#bytes += delta;
    this.#account?.change(delta);
  }
}
