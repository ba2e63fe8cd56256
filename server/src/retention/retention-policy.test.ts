import { describe, expect, it } from 'vitest';
import { dueRooms, type RoomAge } from './retention-policy.ts';

const now = new Date('2026-06-30T12:00:00Z');
const age = (room: string, groupId: string | null, meetingDate: string | null, lastActivity: string | null): RoomAge => ({
  room,
  packetId: 'p',
  groupId,
  meetingDate,
  lastActivity,
});

describe('dueRooms', () => {
  it('counts from the end of the meeting day, else from the last activity, and keeps a room of unknown age', () => {
    const ages = [
      age('notes/u/p', null, '2026-05-30', null), // 31 days and a half: due at 30
      age('notes/u/q', null, '2026-05-31', null), // ends 2026-05-31T23:59: 29.5 days
      age('notes/u/r', null, null, '2026-05-01T00:00:00Z'),
      age('notes/u/s', null, null, null),
    ];
    expect(dueRooms(ages, 30, new Map(), now).map((r) => [r.room, r.since])).toEqual([
      ['notes/u/p', 'meeting'],
      ['notes/u/r', 'activity'],
    ]);
  });

  it('keeps everything without a setting, and lets a group’s own days win for its rooms only', () => {
    const ages = [
      age('shared/g/p', 'g', '2026-01-01', null),
      age('shared/h/p', 'h', '2026-01-01', null),
      age('notes/u/p', null, '2026-01-01', null),
    ];
    expect(dueRooms(ages, null, new Map(), now)).toEqual([]);
    const groups = new Map<string, number | null>([
      ['g', 365],
      ['h', null],
    ]);
    expect(dueRooms(ages, 30, groups, now).map((r) => [r.room, r.days])).toEqual([
      ['shared/h/p', 30],
      ['notes/u/p', 30],
    ]);
    expect(dueRooms(ages, null, new Map([['g', 10]]), now).map((r) => r.room)).toEqual(['shared/g/p']);
  });
});
