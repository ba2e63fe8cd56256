/**
 * Which of a room's seqs its document holds: every seq up to `through`, plus some above it that
 * arrived early (another process's lower seq is still on the way). A room reads a lasting hole
 * from storage; see docs/ARCHITECTURE.md, "Several processes".
 */
export class HeldSeqs {
  #through: number;
  readonly #ahead = new Set<number>();

  constructor(through = 0) {
    this.#through = through;
  }

  /** The document holds every seq up to this one. */
  get through(): number {
    return this.#through;
  }

  /** Some seq below one it holds is missing. */
  get hasHole(): boolean {
    return this.#ahead.size > 0;
  }

  has(seq: number): boolean {
    return seq <= this.#through || this.#ahead.has(seq);
  }

  add(seq: number): void {
    if (seq === this.#through + 1) this.#advance(seq);
    else if (seq > this.#through) this.#ahead.add(seq);
  }

  /** Everything up to `seq` is held now (read from storage). */
  addThrough(seq: number): void {
    if (seq <= this.#through) return;
    for (const ahead of this.#ahead) if (ahead <= seq) this.#ahead.delete(ahead);
    this.#advance(seq);
  }

  #advance(seq: number): void {
    this.#through = seq;
    while (this.#ahead.delete(this.#through + 1)) this.#through++;
  }
}
