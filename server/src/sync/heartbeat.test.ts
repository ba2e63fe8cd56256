/** The heartbeat on fake timers: every socket pinged about once per interval, in slices; a silent one dropped after two. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, PING_TICK_MS } from './heartbeat.ts';

interface FakeSocket {
  lastSeen: number;
  open: boolean;
  pings: number;
  dropped: boolean;
}

const HEARTBEAT_MS = 1_000;

function sockets(count: number): Set<FakeSocket> {
  return new Set(Array.from({ length: count }, () => ({ lastSeen: Date.now(), open: true, pings: 0, dropped: false })));
}

function start(all: Set<FakeSocket>): Heartbeat<FakeSocket> {
  return new Heartbeat({
    heartbeatMs: HEARTBEAT_MS,
    now: () => Date.now(),
    sockets: all,
    lastSeen: (s) => s.lastSeen,
    isOpen: (s) => s.open,
    ping: (s) => void s.pings++,
    drop: (s) => {
      s.dropped = true;
      all.delete(s);
    },
  });
}

describe('the heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings each socket about once per interval, a slice every tick rather than all at once', () => {
    const all = sockets(1_000);
    const heartbeat = start(all);
    vi.advanceTimersByTime(PING_TICK_MS);
    // One tick pings its share of the sockets: 1,000 × 100 ms / 1,000 ms.
    expect([...all].filter((s) => s.pings > 0)).toHaveLength(100);
    vi.advanceTimersByTime(HEARTBEAT_MS - PING_TICK_MS);
    expect([...all].every((s) => s.pings === 1)).toBe(true);
    heartbeat.stop();
  });

  it('drops a socket silent for two intervals, without a close frame, and keeps one that answers', () => {
    const all = sockets(2);
    const [silent, answering] = [...all] as [FakeSocket, FakeSocket];
    const heartbeat = start(all);
    for (let t = 0; t < 2 * HEARTBEAT_MS; t += PING_TICK_MS) {
      vi.advanceTimersByTime(PING_TICK_MS);
      answering.lastSeen = Date.now(); // its pong
    }
    expect(silent.dropped).toBe(false); // two intervals exactly: not yet
    vi.advanceTimersByTime(2 * PING_TICK_MS);
    expect(silent.dropped).toBe(true);
    expect(answering.dropped).toBe(false);
    expect(answering.pings).toBeGreaterThanOrEqual(2);
    heartbeat.stop();
  });

  it('does not ping a socket that is closing, and stops with stop()', () => {
    const all = sockets(1);
    const [socket] = [...all] as [FakeSocket];
    socket.open = false;
    const heartbeat = start(all);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(socket.pings).toBe(0);
    socket.open = true;
    heartbeat.stop();
    vi.advanceTimersByTime(10 * HEARTBEAT_MS);
    expect(socket.pings).toBe(0);
    expect(socket.dropped).toBe(false);
  });
});
