import { describe, expect, it } from 'vitest';
import { accessLogLine, parseSince } from './access-log-line.ts';

describe('access-log lines', () => {
  it('prints every key in a fixed order, null where it does not apply', () => {
    const line = accessLogLine({
      at: '2026-12-07T09:12:03.120Z',
      userId: 'u1',
      action: 'own-data',
      via: 'command',
      groupId: null,
      packetId: null,
      itemNumber: null,
      detail: 'json',
    });
    expect(line).toBe(
      '{"at":"2026-12-07T09:12:03.120Z","user":"u1","action":"own-data","via":"command","group":null,"packet":null,"item":null,"format":"json"}',
    );
  });

  it('reads --since as a UTC day or an ISO time, and refuses anything else', () => {
    expect(parseSince('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    expect(parseSince('2026-12-01T10:30:00+01:00')).toBe('2026-12-01T09:30:00.000Z');
    expect(parseSince('yesterday')).toBeNull();
    expect(parseSince('2026-13-45')).toBeNull();
    expect(parseSince('1 Dec 2026')).toBeNull();
  });
});
