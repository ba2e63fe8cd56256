/**
 * How much of a streamed file has come, as a share (0–1), and promises that resolve once a
 * given share has: the viewer reads page n of a big packet once about (n-1)/N of it has come.
 */

/**
 * Without news of the download for this long, what waits for a share of it goes ahead (pdf.js
 * then fetches by range what it needs): a stream that stopped must not hold the text back for ever.
 */
const STALLED_MS = 10_000;

/** The share of the file that has come, and promises for shares still to come. */
export function trackDownload(whole: boolean, stalledMs = STALLED_MS) {
  let share = whole ? 1 : 0;
  let waiting: Array<{ share: number; resolve: () => void }> = [];
  let stall: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(stall);
    stall = waiting.length > 0 ? setTimeout(() => reached(1), stalledMs) : undefined;
  };
  function reached(next: number): void {
    share = Math.max(share, next);
    const due = waiting.filter((w) => w.share <= share);
    waiting = waiting.filter((w) => w.share > share);
    for (const w of due) w.resolve();
    watch();
  }
  return {
    reached,
    downloaded(wanted: number): Promise<void> {
      if (wanted <= share) return Promise.resolve();
      return new Promise((resolve) => {
        waiting.push({ share: wanted, resolve });
        if (stall === undefined) watch();
      });
    },
  };
}
