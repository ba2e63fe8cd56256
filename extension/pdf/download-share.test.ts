import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackDownload } from './download-share.ts';

/** Whether `promise` has resolved by now (after pending callbacks have run). */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('the share of a streamed file that has come', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves a wait once that share has come, not before', async () => {
    const download = trackDownload(false);
    const half = download.downloaded(0.5);
    download.reached(0.3);
    expect(await settled(half)).toBe(false);
    download.reached(0.5);
    expect(await settled(half)).toBe(true);
    expect(await settled(download.downloaded(0.4))).toBe(true);
  });

  it('has all of a file read whole at once', async () => {
    expect(await settled(trackDownload(true).downloaded(1))).toBe(true);
  });

  it('lets waits go ahead when the download has given no news for a while', async () => {
    vi.useFakeTimers();
    const download = trackDownload(false, 1000);
    const later = download.downloaded(0.9);
    vi.advanceTimersByTime(900);
    download.reached(0.2); // news: the wait starts again
    vi.advanceTimersByTime(900);
    expect(await settled(later)).toBe(false);
    vi.advanceTimersByTime(200);
    expect(await settled(later)).toBe(true);
  });
});
