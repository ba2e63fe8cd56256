/**
 * One retention run (docs/OPERATIONS.md, "Retention"): every room past retention is removed the
 * way an erasure removes rooms (remove-rooms.ts), with a record per packet and the database
 * purged afterwards. A dry run only lists them.
 */
import type { ErasureDeps } from '../erasure/erase-user.ts';
import { removeRooms } from '../erasure/remove-rooms.ts';
import { recordErasure } from '../storage/erasures.ts';
import { type DueRoom, dueRooms } from './retention-policy.ts';
import { roomAges } from './room-ages.ts';

export interface RetentionSettings {
  /** The server's days (RANDNOTER_RETENTION_DAYS); null: keep, unless a group says otherwise. */
  days: number | null;
}

export interface RetentionRun {
  dryRun: boolean;
  due: DueRoom[];
}

export async function runRetention(
  deps: ErasureDeps & { retention: RetentionSettings },
  { dryRun }: { dryRun: boolean },
): Promise<RetentionRun> {
  const { db, docs, clock, log } = deps;
  const groupDays = new Map(
    (await db.selectFrom('groups').select(['id', 'retention_days']).execute()).map((g) => [
      g.id,
      g.retention_days === null ? null : Number(g.retention_days),
    ]),
  );
  // Nothing is kept for a limited time: nothing to read.
  if (deps.retention.days === null && [...groupDays.values()].every((d) => d === null)) return { dryRun, due: [] };
  const due = dueRooms(await roomAges(db, docs), deps.retention.days, groupDays, clock());
  if (dryRun || due.length === 0) return { dryRun, due };
  const byPacket = new Map<string, string[]>();
  for (const room of due) byPacket.set(room.packetId, [...(byPacket.get(room.packetId) ?? []), room.room]);
  for (const [packetId, names] of byPacket) {
    const record = {
      at: clock().toISOString(),
      subjectKind: 'packet' as const,
      subjectId: packetId,
      by: 'retention' as const,
      roomsRemoved: names.length,
      roomsRewritten: 0,
      annotations: 0,
    };
    await removeRooms(deps, names, (trx) => recordErasure(trx, record));
  }
  const purge = await deps.purgeDeleted();
  log.info('retention run', { roomsRemoved: due.length, packets: byPacket.size, ...(purge ? { purgeMs: purge.ms } : {}) });
  return { dryRun, due };
}

/** The lines `randnoter admin retention run` prints. */
export function describeRetentionRun({ dryRun, due }: RetentionRun): string {
  const lines = due.map(
    (r) =>
      `${r.room} (${r.since === 'meeting' ? `meeting ${r.meetingDate}` : `last activity ${r.lastActivity}`}, kept ${r.days} day${r.days === 1 ? '' : 's'})`,
  );
  const head = dryRun
    ? `${due.length} room${due.length === 1 ? '' : 's'} past retention would be removed`
    : `Removed ${due.length} room${due.length === 1 ? '' : 's'} past retention`;
  return [head + (due.length > 0 ? ':' : ''), ...lines].join('\n');
}
