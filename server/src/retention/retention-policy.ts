/**
 * Which rooms are past retention (docs/OPERATIONS.md, "Retention"): a packet's rooms are removed
 * `days` after its meeting date, or after the room's last activity when no meeting date is known;
 * a room whose age is not known at all is kept. A group's own number of days wins over the
 * server's; a notes room follows the server's. Pure: the caller reads the ages.
 */

export interface RoomAge {
  room: string;
  packetId: string;
  /** The group of a shared or closed item's room; null for a notes room. */
  groupId: string | null;
  /** `YYYY-MM-DD`, as registrations store it. */
  meetingDate: string | null;
  /** ISO time of the last write known (the room's snapshot, a registration of the packet). */
  lastActivity: string | null;
}

export interface DueRoom extends RoomAge {
  /** What the age was counted from, and the days kept. */
  since: 'meeting' | 'activity';
  days: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** A meeting date counts to the end of its day. */
function referenceTime(age: RoomAge): { since: DueRoom['since']; ms: number } | null {
  if (age.meetingDate && /^\d{4}-\d{2}-\d{2}/.test(age.meetingDate)) {
    const ms = Date.parse(`${age.meetingDate.slice(0, 10)}T23:59:59.999Z`);
    if (Number.isFinite(ms)) return { since: 'meeting', ms };
  }
  const ms = age.lastActivity ? Date.parse(age.lastActivity) : Number.NaN;
  return Number.isFinite(ms) ? { since: 'activity', ms } : null;
}

export function dueRooms(
  ages: readonly RoomAge[],
  defaultDays: number | null,
  groupDays: ReadonlyMap<string, number | null>,
  now: Date,
): DueRoom[] {
  const due: DueRoom[] = [];
  for (const age of ages) {
    const days = (age.groupId !== null ? groupDays.get(age.groupId) : null) ?? defaultDays;
    if (days === null) continue;
    const reference = referenceTime(age);
    if (reference && now.getTime() - reference.ms > days * DAY_MS) due.push({ ...age, since: reference.since, days });
  }
  return due;
}
