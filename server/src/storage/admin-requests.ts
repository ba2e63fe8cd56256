/** Changes to rooms asked for on the command line (table `admin_requests`, migration 0004). */
import { isId } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type AdminRequest =
  | { kind: 'remove-comment'; room: string; annotationId: string }
  | { kind: 'reset-room'; room: string }
  /** docs/OPERATIONS.md, "Erasure": due at once. */
  | { kind: 'erase-user'; userId: string }
  /** docs/OPERATIONS.md, "Retention": removes what is past retention now, by the command's RANDNOTER_RETENTION_DAYS (its dry run's). */
  | { kind: 'retention-run'; days: number | null };

export interface AdminRequestState {
  claimed: string | null;
  done: string | null;
  result: string | null;
}

export async function insertAdminRequest(db: Kysely<Database>, request: AdminRequest, now: string): Promise<number> {
  const { kind, ...args } = request;
  const row = await db
    .insertInto('admin_requests')
    .values({ kind, args: JSON.stringify(args), created: now, claimed: null, done: null, result: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Takes the request on for `claimer`; false when someone else already has. */
export async function claimAdminRequest(db: Kysely<Database>, id: number, claimer: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('admin_requests')
    .set({ claimed: `${claimer} at ${now}` })
    .where('id', '=', id)
    .where('claimed', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The oldest requests nobody has taken on, each now claimed by `claimer`. */
export async function claimOpenAdminRequests(
  db: Kysely<Database>,
  claimer: string,
  now: string,
  limit = 10,
): Promise<Array<{ id: number; request: AdminRequest | null }>> {
  const rows = await db
    .selectFrom('admin_requests')
    .select(['id', 'kind', 'args'])
    .where('claimed', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: Array<{ id: number; request: AdminRequest | null }> = [];
  for (const row of rows) {
    if (await claimAdminRequest(db, Number(row.id), claimer, now))
      claimed.push({ id: Number(row.id), request: readRequest(row.kind, row.args) });
  }
  return claimed;
}

export async function finishAdminRequest(db: Kysely<Database>, id: number, result: string, now: string): Promise<void> {
  await db.updateTable('admin_requests').set({ done: now, result }).where('id', '=', id).execute();
}

export async function adminRequestState(db: Kysely<Database>, id: number): Promise<AdminRequestState | undefined> {
  return db.selectFrom('admin_requests').select(['claimed', 'done', 'result']).where('id', '=', id).executeTakeFirst();
}

/** A stored request, read defensively (null: not one this version knows). */
function readRequest(kind: string, args: string): AdminRequest | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return null;
  }
  const a = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (kind === 'erase-user') return isId(a.userId) ? { kind, userId: a.userId } : null;
  if (kind === 'retention-run')
    return { kind, days: typeof a.days === 'number' && Number.isSafeInteger(a.days) && a.days >= 1 ? a.days : null };
  if (typeof a.room !== 'string') return null;
  if (kind === 'reset-room') return { kind, room: a.room };
  if (kind === 'remove-comment' && isId(a.annotationId)) return { kind, room: a.room, annotationId: a.annotationId };
  return null;
}
