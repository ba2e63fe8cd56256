import { afterEach, describe, expect, it } from 'vitest';
import type { ExportJob } from './export-job.ts';
import { ExportPool, type ExportPoolLimits, QUEUE_FULL_RETRY_AFTER_S } from './export-pool.ts';
import { ExportRefused } from './export-refused.ts';

const LIMITS: ExportPoolLimits = { concurrency: 1, queue: 2, timeoutMs: 30_000, maxMemoryMb: 128, maxBytes: 1024 * 1024, idleMs: 30_000 };

const job = (title: string): Omit<ExportJob, 'maxBytes'> => ({
  format: 'md',
  title,
  notes: { snapshot: null, updates: [] },
  shared: [],
  closed: [],
  outline: null,
  pageCount: null,
  source: 'urn:randnoter:packet:p1',
  packetVersion: null,
  collectionId: 'http://127.0.0.1/api/packets/p1/export',
  language: 'da',
  includeEmptyItems: false,
  now: '2026-03-10T09:00:00.000Z',
});

/** A read that waits until released: the pool holds a slot for the export meanwhile. */
function heldRead(title: string) {
  const release = Promise.withResolvers<void>();
  let started = false;
  return {
    read: async () => {
      started = true;
      await release.promise;
      return job(title);
    },
    get started() {
      return started;
    },
    release: () => release.resolve(),
  };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const settled = () => new Promise((r) => setImmediate(r));

describe('the export worker pool', () => {
  let pool: ExportPool;
  afterEach(async () => {
    await pool?.destroy();
  });

  it('renders in a worker thread and hands back the file', async () => {
    pool = new ExportPool({ limits: LIMITS });
    const result = await pool.run(async () => job('Byrådet 12. marts'));
    expect(result.mediaType).toBe('text/markdown; charset=utf-8');
    expect(text(result.bytes)).toContain('Byrådet 12. marts');
  });

  it('renders at most `concurrency` exports at once; the next waits, reads its rooms only when its turn comes, then runs', async () => {
    pool = new ExportPool({ limits: { ...LIMITS, concurrency: 2 } });
    const [a, b, c] = [heldRead('a'), heldRead('b'), heldRead('c')];
    const [first, ...rest] = [pool.run(a.read), pool.run(b.read), pool.run(c.read)];
    await settled();
    expect([pool.running, pool.waiting]).toEqual([2, 1]);
    expect(c.started).toBe(false);
    a.release();
    expect(text((await first).bytes)).toContain('a');
    // The slot went straight to the waiting export: never more than two at once.
    expect([pool.running, pool.waiting]).toEqual([2, 0]);
    b.release();
    c.release();
    expect((await Promise.all([first, ...rest])).map((r) => text(r.bytes).split('\n')[0])).toEqual([
      '# Overblik – a',
      '# Overblik – b',
      '# Overblik – c',
    ]);
    expect([pool.running, pool.waiting]).toEqual([0, 0]);
  });

  it('refuses an export beyond the queue with 503 and a time to retry, without touching its rooms', async () => {
    pool = new ExportPool({ limits: { ...LIMITS, queue: 1 } });
    const [a, b, c] = [heldRead('a'), heldRead('b'), heldRead('c')];
    const first = pool.run(a.read);
    const second = pool.run(b.read);
    const refused = await pool.run(c.read).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ExportRefused);
    expect(refused).toMatchObject({ status: 503, reason: 'queue-full', retryAfterS: QUEUE_FULL_RETRY_AFTER_S });
    expect(c.started).toBe(false);
    a.release();
    b.release();
    await Promise.all([first, second]);
  });

  it('lets a waiting export whose client went away leave the queue', async () => {
    pool = new ExportPool({ limits: LIMITS });
    const [a, b] = [heldRead('a'), heldRead('b')];
    const first = pool.run(a.read);
    const gone = new AbortController();
    const second = pool.run(b.read, gone.signal).catch((error: unknown) => error);
    await settled();
    expect(pool.waiting).toBe(1);
    gone.abort(new Error('client went away'));
    expect(await second).toEqual(new Error('client went away'));
    expect(pool.waiting).toBe(0);
    a.release();
    await first;
    expect(b.started).toBe(false);
    expect(pool.running).toBe(0);
  });

  it('keeps a thread warm for the next export and ends it after the idle time; with 0, after every export', async () => {
    pool = new ExportPool({ limits: { ...LIMITS, idleMs: 50 } });
    await pool.run(async () => job('a'));
    expect(pool.threads).toBe(1);
    await pool.run(async () => job('b'));
    expect(pool.threads).toBe(1);
    await expect.poll(() => pool.threads).toBe(0);
    await pool.destroy();

    pool = new ExportPool({ limits: { ...LIMITS, idleMs: 0 } });
    await pool.run(async () => job('a'));
    expect(pool.threads).toBe(0);
  });

  it('refuses a file larger than the limit before it leaves the worker', async () => {
    pool = new ExportPool({ limits: { ...LIMITS, maxBytes: 100 } });
    const refused = await pool.run(async () => ({ ...job('x'.repeat(200)) })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 503, reason: 'too-large' });
    expect((refused as Error).message).toMatch(/more than the server hands out/);
    expect((refused as Error).message).toMatch(/would be 1 KB, more than the server hands out \(1 KB\)/);
    // The worker lives on and answers the next export.
    expect(pool.threads).toBe(1);
    await expect(pool.run(async () => job('y'))).rejects.toMatchObject({ reason: 'too-large' });
    expect(pool.threads).toBe(1);
  });
});
